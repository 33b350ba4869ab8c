package org.phare.cli.ec2;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.phare.api.Credentials;
import org.phare.cli.ApiClient;
import org.phare.cli.StandInHosts;
import org.phare.core.model.Resources;
import org.phare.server.PhareServer;
import org.phare.server.Topology;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A real server (in this JVM, its log on disk) with stand-in hosts that run whatever they are given, and the
 * clients the EC2 tests use: the operator's native client and an AWS SDK client per tenant.
 */
final class Ec2Cloud implements AutoCloseable {
    final PhareServer server;
    final String url;
    final Credentials operator;
    final ApiClient api;
    private final StandInHosts hosts;

    Ec2Cloud(Path dir, int hostCount) throws Exception {
        this(dir, hostCount, new Resources(8, 16384));
    }

    Ec2Cloud(Path dir, int hostCount, Resources hostCapacity) throws Exception {
        server = PhareServer.start(dir.resolve("data"), "127.0.0.1", 0, 0, Topology.defaults());
        url = "http://127.0.0.1:" + server.port();
        Path file = dir.resolve("data").resolve(PhareServer.CREDENTIALS_FILE);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.isRegularFile(file));
        operator = Credentials.fromProfile(file, "default");
        api = new ApiClient(url, operator);
        hosts = new StandInHosts(api, "h", hostCount, hostCapacity);
    }

    /** A new account of that role, and a key for it. */
    Credentials account(String name, String role) {
        api.post("/v1/accounts", Map.of("name", name, "role", role));
        JsonNode key = api.post("/v1/accounts/" + name + "/keys", Map.of());
        return new Credentials(key.get("accessKeyId").asText(), key.get("secretAccessKey").asText());
    }

    /** An AWS SDK EC2 client for these credentials, without retries (a test sees each answer as it is). */
    Ec2Client ec2(Credentials c) {
        return Ec2Client.builder()
                .endpointOverride(URI.create(url))
                .region(Region.of("eu-west-2"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKeyId(), c.secret())))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Override
    public void close() {
        hosts.close();
        server.close();
    }
}
