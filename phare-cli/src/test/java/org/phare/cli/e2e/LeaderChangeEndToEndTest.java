package org.phare.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.phare.api.Credentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Issue 18: after a leader change the cloud still knows what its agents told the old leader. Three members, one
 * agent per zone, six instances; the leader is killed ({@code kill -9}), then later frozen ({@code kill -STOP}) and
 * thawed. After each change, every live member's own answer — the native API's {@code GET /v1/instances} and EC2's
 * DescribeInstances — shows every instance's address, and the instance answers HTTP there, as the same copy as
 * before: no instance moved or restarted because of the change, no agent fenced itself (issue 14: agents find the new
 * leader before their lease runs out), and a {@link CopyWatch} of the operating system's processes never saw two
 * copies of an instance.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LeaderChangeEndToEndTest {

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path tmp;

    @RegisterExtension
    final LocalCloud.Extension clouds = new LocalCloud.Extension();

    @Test
    @DisplayName("leader kill -9, then leader SIGSTOP/SIGCONT: every member shows every running instance's address, which"
            + " answers, and nothing moved")
    void addressesSurviveLeaderChanges() throws Exception {
        LocalCloud cloud = clouds.start(tmp, "zone");
        cloud.startCluster(3);
        cloud.startAgentPerZone();
        cloud.client().post("/v1/instances", Map.of("image", LocalCloud.IMAGE, "type", LocalCloud.SMALL_TYPE, "count", 6));
        LocalCloud.eventually().untilAsserted(() -> assertThat(cloud.instances())
                .allSatisfy(i -> assertThat(i.get("address").asText()).contains(":")).hasSize(6));
        Map<String, String> addresses = new HashMap<>();
        cloud.instances().forEach(i -> addresses.put(i.get("id").asText(), i.get("address").asText()));
        CopyWatch watch = CopyWatch.start(cloud);

        LocalCloud.Member killed = cloud.leader();
        cloud.killMember(killed);
        LocalCloud.Member second = cloud.awaitLeader();
        assertEveryMemberShows(cloud, addresses, List.of(killed));

        cloud.restartMember(killed);
        LocalCloud.eventually().until(() -> cloud.memberStatus(killed).path("appliedIndex").asLong()
                >= cloud.memberStatus(cloud.leader()).path("commitIndex").asLong() - 2);
        LocalCloud.signal(second.process, "STOP");
        try {
            LocalCloud.Member third = LocalCloud.eventually().until(cloud::leader, m -> m != null && m != second);
            assertThat(third).isNotEqualTo(second);
            assertEveryMemberShows(cloud, addresses, List.of(second));
        } finally {
            LocalCloud.signal(second.process, "CONT");
        }
        LocalCloud.eventually().until(() -> !cloud.memberStatus(second).path("activeServices").asBoolean()
                && cloud.memberStatus(second).path("appliedIndex").asLong()
                        >= cloud.memberStatus(cloud.leader()).path("commitIndex").asLong() - 2);
        assertEveryMemberShows(cloud, addresses, List.of());
        assertThat(cloud.agentLogLines("FENCED")).as("agents that lost their lease").isEmpty();
        watch.close();
        System.out.println("leader change test: " + watch);
        assertThat(watch.violations()).as("moments with two live copies of one instance").isEmpty();
        assertThat(watch.seen()).as("instances the watch saw").hasSize(addresses.size());
    }

    /** Within a few seconds, on each member but {@code down}: the same addresses, each answering as the same copy. */
    private static void assertEveryMemberShows(LocalCloud cloud, Map<String, String> addresses, List<LocalCloud.Member> down) {
        List<LocalCloud.Member> live = new ArrayList<>(cloud.members());
        live.removeAll(down);
        for (LocalCloud.Member m : live) {
            LocalCloud.bounded().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                List<JsonNode> items = new ArrayList<>();
                cloud.getFrom(m, "/v1/instances?limit=1000").path("items").forEach(items::add);
                assertThat(items).as("instances on %s", m).hasSize(addresses.size()).allSatisfy(i -> {
                    String id = i.get("id").asText();
                    assertThat(i.get("state").asText()).as("%s on %s", id, m).isEqualTo("running");
                    assertThat(i.get("generation").asLong()).as("%s restarted?", id).isEqualTo(1);
                    assertThat(i.get("address").asText()).as("address of %s on %s", id, m).isEqualTo(addresses.get(id));
                });
            });
            try (Ec2Client ec2 = ec2(m, cloud.operator())) {
                List<Instance> described = ec2.describeInstances().reservations().stream()
                        .flatMap(r -> r.instances().stream()).toList();
                assertThat(described).as("EC2 on %s", m).hasSize(addresses.size()).allSatisfy(i -> {
                    String expected = addresses.get(i.instanceId());
                    assertThat(i.privateIpAddress()).as("%s on %s", i.instanceId(), m)
                            .isEqualTo(expected.substring(0, expected.lastIndexOf(':')));
                });
            }
        }
        addresses.forEach((id, address) -> assertThat(cloud.echo(address).get("instance").asText())
                .as("the copy answering at %s", address).isEqualTo(id));
    }

    private static Ec2Client ec2(LocalCloud.Member m, Credentials c) {
        return Ec2Client.builder().endpointOverride(URI.create(m.url())).region(Region.of("eu-west-2"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKeyId(), c.secret())))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
