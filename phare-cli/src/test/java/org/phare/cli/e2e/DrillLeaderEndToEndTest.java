package org.phare.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: drills that reach the control plane's leader and a frozen agent, run live against real processes. Each
 * scenario starts its own cloud — three members (one per zone), one agent per zone, six http-echo instances — with
 * drills that end 5 s after their last step ({@code -Dphare.drill.settleMs=5000}), and runs the drill as an operator
 * would: {@code phare drill run FILE --now --wait}, given every member's address. Throughout, a {@link CopyWatch} of
 * the operating system's processes checks that no instance ever has two live copies.
 *
 * <ul>
 *   <li>The leader stops (exit code 75) and, 5 s later, an agent crashes: another member takes over and carries out
 *       the second step, once; the drill completes and the CLI, which was talking to the stopped leader, follows.</li>
 *   <li>The leader freezes itself (SIGSTOP) for 3 s, then continues.</li>
 *   <li>An agent freezes itself for 8 s: its copies halt by their own lease while it is stopped, run elsewhere, and
 *       the agent continues afterwards.</li>
 * </ul>
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DrillLeaderEndToEndTest {
    @TempDir
    Path tmp;

    @RegisterExtension
    final LocalCloud.Extension clouds = new LocalCloud.Extension();

    /** The agents of the cloud this test started, by host id. */
    private Map<String, LocalCloud.Agent> agents;

    private static final List<String> MEMBER_FLAGS = List.of("-Dphare.drill.settleMs=5000");
    private static final int INSTANCES = 6;

    private static final String STOP_LEADER = """
            name: stop-leader
            announced: surprise
            objectives: []
            timeline:
              - at: 0s
                leader: stop
              - at: 5s
                crashAgent: {zone: eu-west-2b, count: 1}
                for: 10s
            """;

    private static final String FREEZE_LEADER = """
            name: freeze-leader
            announced: surprise
            objectives: []
            timeline:
              - at: 0s
                leader: freeze
                for: 3s
            """;

    /** The leader hands over; half the roster goes home, an area is closed by order, transport stops; a level check. */
    private static final String STEP_DOWN_AND_PEOPLE = """
            name: step-down-and-people
            announced: surprise
            objectives:
              - text: nobody acts
                manualInterventions: 0
            timeline:
              - at: 0s
                leader: step-down
              - at: 0s
                absent: 50%
                seed: 7
              - at: 0s
                closure: {siteOrArea: saint-cloud, order: "prefect's order 12"}
              - at: 0s
                transportLost: {area: paris-15, reason: strike}
              - at: 0s
                checkLevel: 1
                within: 20s
            """;

    private static final String FREEZE_AGENT = """
            name: freeze-agent-c
            announced: surprise
            objectives: []
            timeline:
              - at: 0s
                freezeAgent: {zone: eu-west-2c, count: 1}
                for: 8s
            """;

    @Test
    @DisplayName("the leader stopped by a drill exits with code 75, another member takes over and carries out the next"
            + " step once (an agent crashed), the drill completes, every instance runs, never two copies")
    void drillSurvivesTheLeaderItStops() throws Exception {
        LocalCloud cloud = startCloud();
        LocalCloud.Agent b = agentIn("eu-west-2b");
        Set<String> onB = instancesOn(cloud, b.hostId);
        assertThat(onB).as("instances on agent b before the drill").isNotEmpty();
        LocalCloud.Member old = cloud.leader();
        // When this test saw the old leader's process gone: a step recorded later was recorded by another member.
        CompletableFuture<Long> oldGoneAt = old.process.onExit().thenApply(p -> System.currentTimeMillis());

        CopyWatch watch = CopyWatch.start(cloud);
        try {
            LocalCloud.CliRun run = cloud.cli("drill", "run", drillFile("stop-leader.yaml", STOP_LEADER), "--now", "--wait");
            assertThat(run.exit()).as("phare drill run, across the leader it stopped:\n%s", run.output()).isZero();
            System.out.println("stop-leader: phare drill run printed:\n" + run.output());
            String id = run.output().lines().findFirst().orElseThrow();
            assertThat(run.output()).as(run.output()).contains("2/2 steps");

            assertThat(old.process.waitFor(30, TimeUnit.SECONDS)).as("%s still alive after the drill stopped it", old).isTrue();
            assertThat(old.process.exitValue()).as("exit code of the stopped leader %s", old).isEqualTo(75);
            assertThat(cloud.memberLog(old)).contains("DRILL: this member, the leader, stops now");
            LocalCloud.Member now = cloud.awaitLeader();
            assertThat(now).as("the leader after the drill").isNotSameAs(old);

            JsonNode drill = cloud.get("/v1/drills/" + id);
            assertThat(drill.get("status").asText()).as(drill.toString()).isEqualTo("completed");
            List<Integer> steps = new ArrayList<>();
            drill.get("done").forEach(s -> steps.add(s.get("step").asInt()));
            assertThat(steps).as("the steps carried out, each once: %s", drill.get("done")).containsExactly(0, 1);
            JsonNode crash = drill.get("done").get(1);
            assertThat(crash.get("atMs").asLong()).as("step 1 recorded after the old leader was gone, so by another member")
                    .isGreaterThan(oldGoneAt.get(10, TimeUnit.SECONDS));
            assertThat(crash.get("targets")).as("step 1's targets").hasSize(1);
            assertThat(crash.get("targets").get(0).asText()).isEqualTo(b.hostId);
            assertThat(LocalCloud.logLines(b, "DRILL " + id + ": crash")).as("the crash, in agent b's log").hasSize(1);
            // The CLI kept probing across the leader change: it saw each crashed instance down, then back.
            assertSeenDownThenBack(cloud, id, onB);

            everyInstanceRuns(cloud);
            for (String i : onB) {
                assertThat(cloud.get("/v1/instances/" + i).get("host").asText()).as("host of %s after b crashed", i)
                        .isNotEqualTo(b.hostId);
            }
            // The crash healed after 10 s: agent b comes back as a rebooted host.
            LocalCloud.eventually().until(() -> "ready".equals(cloud.host(b.hostId).path("state").asText()));
        } finally {
            watch.close();
        }
        assertThat(watch.violations()).as(watch.toString()).isEmpty();
        assertThat(watch.seen()).as("instances the watch saw").hasSize(INSTANCES);
    }

    @Test
    @DisplayName("the leader frozen by a drill is stopped (SIGSTOP, state T) for 3 s and then continues; the drill"
            + " completes, every instance runs, never two copies")
    void leaderFreezesThenContinues() throws Exception {
        LocalCloud cloud = startCloud();
        LocalCloud.Member old = cloud.leader();
        long pid = old.process.pid();

        CopyWatch watch = CopyWatch.start(cloud);
        try {
            CompletableFuture<LocalCloud.CliRun> run = cliInBackground(cloud, "drill", "run",
                    drillFile("freeze-leader.yaml", FREEZE_LEADER), "--now", "--wait");
            awaitState(pid, 'T', "the leader " + old + " stopped by the drill", run);

            LocalCloud.CliRun done = run.get(150, TimeUnit.SECONDS);
            assertThat(done.exit()).as("phare drill run:\n%s", done.output()).isZero();
            System.out.println("phare drill run printed:\n" + done.output());
            String id = done.output().lines().findFirst().orElseThrow();
            assertThat(old.process.isAlive()).as("%s alive after its freeze", old).isTrue();
            assertThat(state(pid)).as("state of %s after the drill", old).isNotEqualTo('T');
            assertThat(cloud.memberLog(old)).contains("DRILL: this member, the leader, freezes for 3000 ms")
                    .contains("DRILL: this member continues after its freeze");
            JsonNode drill = cloud.get("/v1/drills/" + id);
            assertThat(drill.get("status").asText()).as(drill.toString()).isEqualTo("completed");
            List<Integer> steps = new ArrayList<>();
            drill.get("done").forEach(s -> steps.add(s.get("step").asInt()));
            assertThat(steps).as("the steps carried out, each once").containsExactly(0);
            // It serves again as a member of the group: it has applied the drill's end, answering for itself.
            LocalCloud.eventually().until(() -> "completed".equals(cloud.getFrom(old, "/v1/drills/" + id).path("status").asText()));
            everyInstanceRuns(cloud);
            System.out.println("freeze-leader: " + old + " was frozen; the leader now is " + cloud.leader());
        } finally {
            watch.close();
        }
        assertThat(watch.violations()).as(watch.toString()).isEmpty();
        assertThat(watch.seen()).as("instances the watch saw").hasSize(INSTANCES);
    }

    @Test
    @DisplayName("an agent frozen by a drill for 8 s is stopped (state T); its copies halt by their own lease while it"
            + " is, run elsewhere, and it continues afterwards; never two copies")
    void agentFreezesItsCopiesDieByTheirLease() throws Exception {
        LocalCloud cloud = startCloud();
        LocalCloud.Agent c = agentIn("eu-west-2c");
        Set<String> onC = instancesOn(cloud, c.hostId);
        assertThat(onC).as("instances on agent c before the drill").isNotEmpty();
        long pid = c.pid();

        CopyWatch watch = CopyWatch.start(cloud);
        try {
            CompletableFuture<LocalCloud.CliRun> run = cliInBackground(cloud, "drill", "run",
                    drillFile("freeze-agent.yaml", FREEZE_AGENT), "--now", "--wait");
            awaitState(pid, 'T', "agent c " + c + " stopped by the drill", run);

            // Its copies go while it is stopped: nobody but their own lease can end them.
            LocalCloud.bounded().pollInterval(Duration.ofMillis(100))
                    .failFast("agent c continued before its copies were gone", () -> state(pid) != 'T')
                    .until(() -> cloud.echoProcesses().stream().noneMatch(e -> e.host().equals(c.hostId)));
            assertThat(state(pid)).as("agent c still stopped when its copies were gone").isEqualTo('T');
            for (String i : onC) {
                assertThat(Files.readString(c.dataDir.resolve("instances").resolve(i + ".log"), StandardCharsets.UTF_8))
                        .as("the output of %s's copy on agent c", i).contains("the lease ran out");
            }
            // They run elsewhere.
            LocalCloud.eventually().untilAsserted(() -> {
                for (String i : onC) {
                    JsonNode now = cloud.get("/v1/instances/" + i);
                    assertThat(now.get("state").asText()).as("%s", i).isEqualTo("running");
                    assertThat(now.get("host").asText()).as("host of %s", i).isNotEqualTo(c.hostId);
                    assertThat(cloud.echo(now.get("address").asText()).get("instance").asText()).isEqualTo(i);
                }
            });

            LocalCloud.CliRun done = run.get(150, TimeUnit.SECONDS);
            assertThat(done.exit()).as("phare drill run:\n%s", done.output()).isZero();
            System.out.println("phare drill run printed:\n" + done.output());
            String id = done.output().lines().findFirst().orElseThrow();
            JsonNode drill = cloud.get("/v1/drills/" + id);
            assertThat(drill.get("status").asText()).as(drill.toString()).isEqualTo("completed");
            assertThat(drill.get("done")).hasSize(1);
            assertThat(drill.get("done").get(0).get("targets").get(0).asText()).isEqualTo(c.hostId);
            assertSeenDownThenBack(cloud, id, onC);

            assertThat(c.process.isAlive()).as("agent c alive after its freeze").isTrue();
            assertThat(state(pid)).as("state of agent c after the drill").isNotEqualTo('T');
            assertThat(LocalCloud.logLines(c, "DRILL " + id + ": the agent continues after its freeze")).hasSize(1);
            LocalCloud.eventually().until(() -> "ready".equals(cloud.host(c.hostId).path("state").asText()));
            everyInstanceRuns(cloud);
        } finally {
            watch.close();
        }
        assertThat(watch.violations()).as(watch.toString()).isEmpty();
        assertThat(watch.seen()).as("instances the watch saw").hasSize(INSTANCES);
    }

    @Test
    @DisplayName("the leader steps down at a drill's command and another member carries the drill on; people faults on the"
            + " live cloud (half the roster absent, an area closed, transport lost) hold during the drill and are put back at its end")
    void stepDownAndPeopleFaults() throws Exception {
        LocalCloud cloud = startCloud();
        cloud.client().putText("/v1/plan", "application/yaml", org.phare.api.PlanYaml.defaultPlanText());
        cloud.client().putOrPostText("POST", "/v1/staff", "text/csv", SitrepEndToEndTest.ROSTER);
        Map<String, String> before = statuses(cloud);
        assertThat(before).hasSize(5);
        LocalCloud.Member old = cloud.leader();

        CompletableFuture<LocalCloud.CliRun> run = cliInBackground(cloud, "drill", "run",
                drillFile("step-down-and-people.yaml", STEP_DOWN_AND_PEOPLE), "--now", "--wait");
        // While the drill runs: the people faults hold.
        LocalCloud.eventually().untilAsserted(() -> {
            Map<String, String> now = statuses(cloud);
            assertThat(now.values().stream().filter("absent"::equals).count()).as("absent now: %s", now)
                    .isEqualTo(org.phare.core.drill.Absences.count(5, 50));
            JsonNode level = cloud.get("/v1/level");
            assertThat(level.get("closedSites").has("saint-cloud")).as("closed: %s", level.get("closedSites")).isTrue();
            assertThat(level.get("level").asInt()).as("the plan's transport trigger answered").isPositive();
        });
        try {
            LocalCloud.eventually().until(() -> !cloud.leader().id.equals(old.id));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the leader " + old + " did not hand over; its log:\n" + cloud.memberLog(old), e);
        }

        LocalCloud.CliRun done = run.get(150, TimeUnit.SECONDS);
        assertThat(done.exit()).as("phare drill run:\n%s", done.output()).isZero();
        String id = done.output().lines().findFirst().orElseThrow();
        JsonNode drill = cloud.get("/v1/drills/" + id);
        assertThat(drill.get("status").asText()).as(drill.toString()).isEqualTo("completed");
        List<Integer> steps = new ArrayList<>();
        drill.get("done").forEach(st -> steps.add(st.get("step").asInt()));
        assertThat(steps).as("every step carried out once").containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        assertThat(drill.get("checks").get(0).get("met").asBoolean()).as("level 1 reached: %s", drill.get("checks")).isTrue();
        assertThat(old.process.isAlive()).as("the member that stepped down still serves").isTrue();
        assertThat(cloud.memberLog(old)).contains("DRILL: this member, the leader, steps down");
        // Put back: every status as before, the area open again.
        assertThat(statuses(cloud)).isEqualTo(before);
        assertThat(cloud.get("/v1/level").get("closedSites").size()).isZero();
        JsonNode report = cloud.get("/v1/drills/" + id + "/report");
        assertThat(report.get("manualInterventions").asInt()).isZero();
        assertThat(report.get("timeline").toString()).contains("people absent").contains("no public transport in paris-15");
        everyInstanceRuns(cloud);
    }

    private static Map<String, String> statuses(LocalCloud cloud) {
        Map<String, String> out = new TreeMap<>();
        JsonNode staff = cloud.get("/v1/staff");
        (staff.has("items") ? staff.get("items") : staff).forEach(p -> out.put(p.get("id").asText(), p.get("status").asText()));
        return out;
    }

    // ---- the cloud ----

    /** Three members, one agent per zone, six running instances. */
    private LocalCloud startCloud() throws IOException {
        LocalCloud cloud = clouds.start(tmp, "zone");
        cloud.startCluster(3, MEMBER_FLAGS);
        agents = cloud.startAgentPerZone();
        cloud.client().post("/v1/instances", Map.of("image", LocalCloud.IMAGE, "type", LocalCloud.SMALL_TYPE, "count", INSTANCES));
        LocalCloud.eventually().until(() -> {
            List<JsonNode> all = cloud.instances();
            return all.size() == INSTANCES && all.stream().allMatch(i -> "running".equals(i.get("state").asText()));
        });
        return cloud;
    }

    /** The agent of a zone (there is one per zone). */
    private LocalCloud.Agent agentIn(String zone) {
        return agents.values().stream().filter(a -> zone.equals(a.zone)).findFirst()
                .orElseThrow(() -> new AssertionError("no agent in " + zone));
    }

    private static Set<String> instancesOn(LocalCloud cloud, String host) {
        Set<String> ids = new TreeSet<>();
        cloud.instances().forEach(i -> {
            if (host.equals(i.get("host").asText())) {
                ids.add(i.get("id").asText());
            }
        });
        return ids;
    }

    private String drillFile(String name, String text) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, text);
        return file.toString();
    }

    /** Within a bounded wait: every instance running, each answering as itself at the address the cloud shows. */
    private static void everyInstanceRuns(LocalCloud cloud) {
        LocalCloud.eventually().untilAsserted(() -> {
            List<JsonNode> all = cloud.instances();
            assertThat(all).hasSize(INSTANCES);
            for (JsonNode i : all) {
                assertThat(i.get("state").asText()).as("state of %s", i.get("id").asText()).isEqualTo("running");
                assertThat(cloud.echo(i.get("address").asText()).get("instance").asText()).isEqualTo(i.get("id").asText());
            }
        });
    }

    /** The drill's report says that the prober saw each of these instances down and then answering again. */
    private static void assertSeenDownThenBack(LocalCloud cloud, String drill, Set<String> instances) {
        JsonNode outage = cloud.get("/v1/drills/" + drill + "/report").get("outage");
        assertThat(outage.get("reported").asBoolean()).as("the prober's outages reported: %s", outage).isTrue();
        Map<String, Boolean> recovered = new HashMap<>();
        outage.get("worst").forEach(o -> recovered.put(o.get("instance").asText(), o.get("recovered").asBoolean()));
        for (String i : instances) {
            assertThat(recovered).as("the prober's outages: %s", outage).containsEntry(i, true);
        }
    }

    /** A CLI command in the background, so that the test can look at the processes while it runs. */
    private static CompletableFuture<LocalCloud.CliRun> cliInBackground(LocalCloud cloud, String... args) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return cloud.cli(args);
            } catch (IOException | InterruptedException e) {
                throw new CompletionException(e);
            }
        }, runnable -> Thread.ofPlatform().name("drill-cli").daemon().start(runnable));
    }

    /** Waits (bounded) until the process is in {@code wanted} state; fails at once if the CLI ended first. */
    private static void awaitState(long pid, char wanted, String what, CompletableFuture<?> cli) {
        LocalCloud.bounded().pollInterval(Duration.ofMillis(50))
                .failFast("the drill ended before " + what + " was seen in state " + wanted, cli::isDone)
                .until(() -> state(pid) == wanted);
    }

    /** The process's state as {@code /proc/PID/stat} gives it (R, S, T, Z...), or '-' once it is gone. */
    static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return '-';
        }
    }
}
