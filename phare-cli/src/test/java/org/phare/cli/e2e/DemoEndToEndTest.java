package org.phare.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12.11, the newcomer's path: {@code phare demo} as its own process, then every command its banner suggests, as
 * a new user would type them in another terminal — as the operator (the config's default profile) and as the tenant
 * ({@code --profile demo}), the AWS CLI line included (under CI the AWS CLI must be there; {@code .ci/run} installs it).
 * The banner's placeholders are filled from the cloud's own answers. Any command that fails fails the test; so does a
 * demo that does not print, where it runs, what the kill of an agent caused.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DemoEndToEndTest {

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path tmp;

    @RegisterExtension
    final LocalCloud.Extension clouds = new LocalCloud.Extension();

    /** The command lines of the banner's "Try, in another terminal" block, as printed (placeholders included). */
    static List<String> suggestions(String banner) {
        List<String> commands = new ArrayList<>();
        boolean inBlock = false;
        for (String line : banner.split("\n")) {
            if (line.contains("Try, in another terminal:")) {
                inBlock = true;
                continue;
            }
            if (inBlock && line.isBlank()) {
                break;
            }
            String text = line.strip();
            if (inBlock && (text.startsWith("./phare ") || text.startsWith("curl ") || text.startsWith("kill ")
                    || text.startsWith("export "))) {
                commands.add(text.split(" {2,}")[0]); // the description follows after two spaces or more
            }
        }
        return commands;
    }

    private static boolean awsCli() {
        try {
            Process p = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    @DisplayName("phare demo, then every command of its banner as the operator and as the tenant, the AWS CLI line included")
    void newcomersFirstMinutes() throws Exception {
        LocalCloud cloud = clouds.start(tmp, "host");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = cloud.dir().resolve("demo");
        Process demo = cloud.demo("--port", Integer.toString(port), "--dir", dir.toString());
        try {
            LocalCloud.eventually().atMost(java.time.Duration.ofMinutes(3)).failFast("phare demo exited", () -> !demo.isAlive())
                    .until(() -> cloud.demoOutput().contains("Ctrl-C stops the whole cloud"));
            String banner = cloud.demoOutput();
            List<String> suggested = suggestions(banner);
            assertThat(suggested).as("the banner's suggestions").anyMatch(c -> c.startsWith("export PHARE_CONFIG="))
                    .anyMatch(c -> c.startsWith("./phare vm run")).anyMatch(c -> c.startsWith("kill -9"));
            Matcher room = Pattern.compile("Room for (\\d+) more tinav5.c1r1 instances").matcher(banner);
            assertThat(room.find()).as("the banner says how much room is left").isTrue();
            assertThat(Integer.parseInt(room.group(1))).as("room for at least 10 more small instances").isGreaterThanOrEqualTo(10);

            String config = suggested.stream().filter(c -> c.startsWith("export PHARE_CONFIG=")).findFirst().orElseThrow()
                    .substring("export PHARE_CONFIG=".length());
            Map<String, String> env = Map.of("PHARE_CONFIG", config);
            List<String> ran = new ArrayList<>();
            for (String command : suggested) {
                if (command.startsWith("export ")) {
                    continue;
                }
                if (command.startsWith("./phare ")) {
                    for (String profile : profilesFor(command)) {
                        List<String> args = new ArrayList<>(List.of(fill(cloud, env, command).substring("./phare ".length()).split(" ")));
                        if (profile != null) {
                            args.addAll(List.of("--profile", profile));
                        }
                        LocalCloud.CliRun r = cloud.phare(env, args.toArray(String[]::new));
                        assertThat(r.exit()).as("phare %s%s:%n%s", String.join(" ", args), "", r.output()).isZero();
                        ran.add(String.join(" ", args));
                    }
                } else if (command.startsWith("curl ")) {
                    String address = fill(cloud, env, "<address>");
                    JsonNode echo = cloud.echo(address);
                    assertThat(echo.get("instance").asText()).startsWith("i-");
                    ran.add("curl http://" + address + "/");
                } else if (command.startsWith("kill -9")) {
                    killAnAgentAndWatch(cloud, env, dir);
                    ran.add(command);
                }
            }
            assertThat(ran).as("what ran").anyMatch(c -> c.startsWith("vm run") && c.endsWith("--profile demo"))
                    .anyMatch(c -> c.startsWith("drill run")).anyMatch(c -> c.startsWith("drill report"));
            assertThat(cloud.dir().resolve("report.html")).as("the drill's report, as the banner suggests").content()
                    .contains("Exercise report").contains("zone-loss");

            // The AWS CLI line, as printed (credentials and endpoint from the banner).
            Matcher aws = Pattern.compile("AWS_ACCESS_KEY_ID=(\\S+) AWS_SECRET_ACCESS_KEY=(\\S+) \\\\\\s+(aws ec2 [^\\n]+)").matcher(banner);
            assertThat(aws.find()).as("the banner's AWS CLI line").isTrue();
            boolean present = awsCli();
            if (System.getenv("CI") != null) {
                assertThat(present).as("the AWS CLI must be installed under CI (.ci/run installs it)").isTrue();
            }
            if (present) {
                ProcessBuilder b = new ProcessBuilder(List.of(aws.group(3).strip().split(" "))).redirectErrorStream(true);
                b.environment().put("AWS_ACCESS_KEY_ID", aws.group(1));
                b.environment().put("AWS_SECRET_ACCESS_KEY", aws.group(2));
                b.environment().put("AWS_CONFIG_FILE", tmp.resolve("no-aws-config").toString());
                b.environment().put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-aws-credentials").toString());
                Process p = b.start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("%s:%n%s", aws.group(3), output).isZero();
                assertThat(output).contains("\"InstanceId\": \"i-");
            }
        } finally {
            LocalCloud.stopDemo(demo);
        }
    }

    @Test
    @DisplayName("phare demo --servers 3 prints every member's address, says any works, and its AWS CLI line uses a follower's,"
            + " through which the AWS CLI writes and reads")
    void threeMembersAnyEndpoint() throws Exception {
        LocalCloud cloud = clouds.start(tmp, "host");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = cloud.dir().resolve("demo3");
        Process demo = cloud.demo("--servers", "3", "--instances", "1", "--port", Integer.toString(port),
                "--dir", dir.toString());
        try {
            LocalCloud.eventually().atMost(java.time.Duration.ofMinutes(3)).failFast("phare demo exited", () -> !demo.isAlive())
                    .until(() -> cloud.demoOutput().contains("Ctrl-C stops the whole cloud"));
            String banner = cloud.demoOutput();
            assertThat(banner).contains("Any of them answers every request");
            Matcher member = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)\\s+server-(m[abc])\\s+(leader|follower) now").matcher(banner);
            Map<String, String> roles = new java.util.TreeMap<>();
            while (member.find()) {
                roles.put(member.group(1), member.group(3));
            }
            assertThat(roles).as("one line per member:%n%s", banner).hasSize(3).containsKeys("http://127.0.0.1:" + port,
                    "http://127.0.0.1:" + (port + 1), "http://127.0.0.1:" + (port + 2));
            assertThat(roles.values()).containsExactlyInAnyOrder("leader", "follower", "follower");
            Matcher aws = Pattern.compile("AWS_ACCESS_KEY_ID=(\\S+) AWS_SECRET_ACCESS_KEY=(\\S+) \\\\\\s+(aws ec2 [^\\n]+)").matcher(banner);
            assertThat(aws.find()).as("the banner's AWS CLI line").isTrue();
            Matcher endpoint = Pattern.compile("--endpoint-url (\\S+)").matcher(aws.group(3));
            assertThat(endpoint.find()).isTrue();
            assertThat(roles.get(endpoint.group(1))).as("the AWS CLI line's endpoint %s", endpoint.group(1)).isEqualTo("follower");

            boolean present = awsCli();
            if (System.getenv("CI") != null) {
                assertThat(present).as("the AWS CLI must be installed under CI (.ci/run installs it)").isTrue();
            }
            if (present) {
                String line = aws.group(3).strip();
                String ran = runAws(aws.group(1), aws.group(2), line.replace("describe-instances", "run-instances --image-id"
                        + " http-echo --instance-type tinav5.c1r1 --output json"));
                Matcher id = Pattern.compile("\"InstanceId\": \"(i-[0-9a-f]+)\"").matcher(ran);
                assertThat(id.find()).as("a run through the follower:%n%s", ran).isTrue();
                assertThat(runAws(aws.group(1), aws.group(2), line + " --instance-ids " + id.group(1) + " --output json"))
                        .as("read back at once through the same follower").contains("\"InstanceId\": \"" + id.group(1) + "\"");
            }
        } finally {
            LocalCloud.stopDemo(demo);
        }
    }

    private String runAws(String keyId, String secret, String commandLine) throws Exception {
        ProcessBuilder b = new ProcessBuilder(List.of(commandLine.split(" "))).redirectErrorStream(true);
        b.environment().put("AWS_ACCESS_KEY_ID", keyId);
        b.environment().put("AWS_SECRET_ACCESS_KEY", secret);
        b.environment().put("AWS_CONFIG_FILE", tmp.resolve("no-aws-config").toString());
        b.environment().put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-aws-credentials").toString());
        Process p = b.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s:%n%s", commandLine, output).isZero();
        return output;
    }

    /** Commands a tenant may run too are run with the tenant's profile as well; the operator's are the others. */
    private static List<String> profilesFor(String command) {
        boolean tenantToo = command.startsWith("./phare vm ");
        return tenantToo ? java.util.Arrays.asList(null, "demo") : java.util.Collections.singletonList(null);
    }

    /** Fills the banner's placeholders ({@code <address>}, {@code <host id>}) from the cloud's answers. */
    private static String fill(LocalCloud cloud, Map<String, String> env, String command) throws Exception {
        String filled = command;
        if (filled.contains("<address>") || filled.contains("<host id>")) {
            LocalCloud.CliRun vms = cloud.phare(env, "vm", "ls", "-o", "json");
            JsonNode running = null;
            for (JsonNode i : LocalCloud.readTree(vms.output())) {
                if ("running".equals(i.path("state").asText()) && i.hasNonNull("address")) {
                    running = i;
                    break;
                }
            }
            assertThat(running).as("a running instance with an address in %s", vms.output()).isNotNull();
            filled = filled.replace("<address>", running.get("address").asText()).replace("<host id>", running.get("host").asText());
        }
        return filled;
    }

    /** {@code kill -9} of an agent with instances: they run again elsewhere, and the demo prints it where it runs. */
    private static void killAnAgentAndWatch(LocalCloud cloud, Map<String, String> env, Path dir) throws Exception {
        JsonNode hosts = LocalCloud.readTree(cloud.phare(env, "host", "ls", "-o", "json").output());
        JsonNode busiest = null;
        for (JsonNode h : hosts) {
            if ("ready".equals(h.path("state").asText()) && (busiest == null || h.path("instances").asInt() > busiest.path("instances").asInt())) {
                busiest = h;
            }
        }
        assertThat(busiest).isNotNull();
        assertThat(busiest.path("instances").asInt()).as("the busiest host runs instances").isPositive();
        String host = busiest.get("id").asText();
        ProcessHandle.of(busiest.get("pid").asLong()).orElseThrow().destroyForcibly();
        LocalCloud.eventually().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode vms = LocalCloud.readTree(cloud.phare(env, "vm", "ls", "-o", "json").output());
            for (JsonNode i : vms) {
                assertThat(i.path("host").asText()).as("an instance still on the killed host").isNotEqualTo(host);
                assertThat(i.path("state").asText()).isIn("running", "terminated", "stopped");
            }
        });
        LocalCloud.eventually().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> assertThat(cloud.demoOutput())
                .as("what phare demo printed").contains("host " + host + " declared dead").containsPattern(
                        "instance i-\\S+ running again on \\S+ \\(\\S+\\), moved from " + host + ": down \\d+\\.\\d s"));
    }
}
