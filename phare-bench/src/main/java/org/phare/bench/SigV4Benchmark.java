package org.phare.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.phare.api.SigV4;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost per request of AWS Signature V4 in the API: {@link SigV4#verify} of an EC2 query request as botocore
 * (the AWS CLI) sends it, and {@link SigV4#authorization} of the same request for comparison.
 *
 * <ul>
 *   <li>{@code verifyDescribeInstances}: {@code POST /} with the form body
 *       {@code Action=DescribeInstances&Version=2016-11-15&MaxResults=100} (58 bytes); headers as botocore and its
 *       HTTP client send them: {@code Host} with a port, {@code Content-Type: application/x-www-form-urlencoded;
 *       charset=utf-8}, {@code X-Amz-Date}, {@code Authorization} ({@code SignedHeaders=content-type;host;x-amz-date}),
 *       plus the unsigned {@code Accept-Encoding}, {@code User-Agent} and {@code Content-Length}.</li>
 *   <li>{@code verifyRunInstancesUserData}: the same headers, a RunInstances body of 2,050 bytes, most of it a
 *       base64 cloud-init {@code UserData} (form-encoded): what the body's SHA-256 adds.</li>
 *   <li>{@code signDescribeInstances}: the {@code Authorization} value of the DescribeInstances request.</li>
 * </ul>
 *
 * <p>Both sides derive the signing key on every call (four HMAC-SHA256) and build the canonical request; nothing
 * is cached between calls. The secret lookup is a map lookup; the clock is fixed 2 s after the signing time, well
 * inside {@link SigV4#MAX_SKEW}. The set-up fails unless both requests verify, so the benchmark cannot measure a
 * refusal instead.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"}) // fixed heap: no resizing mid-run
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SigV4Benchmark {

    static final String KEY = "AKIAPHAREBENCH000001";
    static final String SECRET = "s3cr3t/With+Slash=AndPlus0123456789abcdef";
    static final String REGION = "eu-west-2";
    static final String SERVICE = "ec2";
    static final String HOST = "127.0.0.1:7400";
    static final String CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";
    static final String USER_AGENT = "aws-cli/2.22.35 md/awscrt#0.23.4 ua/2.0 os/linux#6.1.0 md/arch#x86_64 "
            + "lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#debian.12 "
            + "md/prompt#off md/command#ec2.describe-instances";
    /** botocore signs every header it has at signing time but these (User-Agent is set before signing). */
    static final List<String> SIGNED = List.of("content-type", "host", "x-amz-date");
    static final String DESCRIBE_BODY = "Action=DescribeInstances&Version=2016-11-15&MaxResults=100";
    /** The RunInstances body is the shortest at least this long (2 KiB). */
    static final int RUN_BODY_MIN_BYTES = 2_048;

    /** The signing time, and the verifier's clock 2 s later. */
    static final Instant SIGNED_AT = Instant.parse("2026-11-28T12:00:00Z");
    static final Instant NOW = SIGNED_AT.plusSeconds(2);

    private final Map<String, String> keys = Map.of(KEY, SECRET, "AKIAPHAREBENCH000002", "another-secret");
    private final Function<String, String> secrets = keys::get;
    private final Set<String> regions = Set.of(REGION);
    private final SigV4.Scope scope = new SigV4.Scope(SigV4.amzDate(SIGNED_AT).substring(0, 8), REGION, SERVICE);

    private SigV4.Request describeUnsigned;
    private SigV4.Request describe;
    private SigV4.Request runInstances;

    @Setup(Level.Trial)
    public void setUp() {
        if (Duration.between(SIGNED_AT, NOW).abs().compareTo(SigV4.MAX_SKEW) > 0) {
            throw new IllegalStateException("the clock is outside the signature's window");
        }
        describeUnsigned = unsigned(DESCRIBE_BODY.getBytes(StandardCharsets.US_ASCII));
        describe = signed(describeUnsigned);
        byte[] runBody = runInstancesBody();
        if (runBody.length < RUN_BODY_MIN_BYTES || runBody.length > RUN_BODY_MIN_BYTES + 8) {
            throw new IllegalStateException("the RunInstances body is " + runBody.length + " bytes");
        }
        runInstances = signed(unsigned(runBody));
        for (SigV4.Request r : List.of(describe, runInstances)) {
            SigV4.Outcome o = SigV4.verify(r, secrets, NOW, regions, SERVICE);
            if (!(o instanceof SigV4.Outcome.Verified v) || !v.accessKeyId().equals(KEY) || !v.region().equals(REGION)) {
                throw new IllegalStateException("the benchmark request does not verify: " + o);
            }
        }
        // the verifier must also refuse what it should, or the figures measure a verifier that checks nothing
        SigV4.Request tampered = new SigV4.Request("POST", "/", "", describe.headers(),
                DESCRIBE_BODY.replace("100", "999").getBytes(StandardCharsets.US_ASCII));
        if (!(SigV4.verify(tampered, secrets, NOW, regions, SERVICE) instanceof SigV4.Outcome.Refused)) {
            throw new IllegalStateException("a tampered body verifies");
        }
    }

    @Benchmark
    public SigV4.Outcome verifyDescribeInstances() {
        return SigV4.verify(describe, secrets, NOW, regions, SERVICE);
    }

    @Benchmark
    public SigV4.Outcome verifyRunInstancesUserData() {
        return SigV4.verify(runInstances, secrets, NOW, regions, SERVICE);
    }

    @Benchmark
    public String signDescribeInstances() {
        return SigV4.authorization(describeUnsigned, SIGNED, KEY, SECRET, scope);
    }

    /** The request as the client has it just before signing, in botocore's header order. */
    private static SigV4.Request unsigned(byte[] body) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        h.add(Map.entry("Host", HOST));
        h.add(Map.entry("Accept-Encoding", "identity"));
        h.add(Map.entry("Content-Type", CONTENT_TYPE));
        h.add(Map.entry("User-Agent", USER_AGENT));
        h.add(Map.entry("X-Amz-Date", SigV4.amzDate(SIGNED_AT)));
        h.add(Map.entry("Content-Length", Integer.toString(body.length)));
        return new SigV4.Request("POST", "/", "", h, body);
    }

    private SigV4.Request signed(SigV4.Request unsigned) {
        List<Map.Entry<String, String>> h = new ArrayList<>(unsigned.headers());
        h.add(h.size() - 1, Map.entry("Authorization", SigV4.authorization(unsigned, SIGNED, KEY, SECRET, scope)));
        return new SigV4.Request(unsigned.method(), unsigned.rawPath(), unsigned.rawQuery(), h, unsigned.body());
    }

    /**
     * RunInstances with a cloud-init script as UserData (base64, form-encoded), its last comment line padded until
     * the body is at least {@link #RUN_BODY_MIN_BYTES} long.
     */
    static byte[] runInstancesBody() {
        String head = "Action=RunInstances&Version=2016-11-15&ImageId=ami-0a1b2c3d4e5f60718&InstanceType=t.medium"
                + "&MinCount=1&MaxCount=1&KeyName=ops-2026&SubnetId=subnet-0123456789abcdef0"
                + "&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Name"
                + "&TagSpecification.1.Tag.1.Value=web-1&ClientToken=0f6c3b52-8a7e-4d1c-9b2a-5e4f3d2c1b0a&UserData=";
        String script = """
                #cloud-config
                package_update: true
                packages: [nginx, jq, curl, ca-certificates]
                write_files:
                  - path: /etc/nginx/conf.d/app.conf
                    content: |
                      server {
                        listen 80 default_server;
                        location / { proxy_pass http://127.0.0.1:8080; proxy_set_header Host $host; }
                        location /healthz { return 200 'ok'; }
                      }
                  - path: /etc/app/env
                    content: |
                      APP_ENV=production
                      APP_REGION=eu-west-2
                      APP_LOG_LEVEL=info
                runcmd:
                  - systemctl enable --now nginx
                  - curl -fsSL https://artifacts.example.com/app/1.42.0/app.tar.gz | tar -xz -C /opt
                  - /opt/app/bin/install --user app --port 8080
                  - systemctl enable --now app
                final_message: "app ready after $UPTIME s"
                """;
        StringBuilder s = new StringBuilder(script).append("# ");
        while (true) {
            String body = head + formEncode(Base64.getEncoder().encodeToString(s.toString().getBytes(StandardCharsets.UTF_8)));
            if (body.length() >= RUN_BODY_MIN_BYTES) {
                return body.getBytes(StandardCharsets.US_ASCII);
            }
            s.append('x');
        }
    }

    /** What botocore's form encoding does to base64: {@code +}, {@code /} and {@code =} escaped. */
    private static String formEncode(String base64) {
        return base64.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D");
    }
}
