package org.phare.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.phare.cli.Main;
import picocli.CommandLine;

/**
 * Issue 13, small: {@code phare load} starts three {@code phare server} members as separate processes, 60 stand-in
 * hosts heartbeat over HTTP, 1,000 instances are created, then a zone's hosts stop. Every displaced instance must run
 * again elsewhere, once (never on two hosts), and no surviving host may be declared dead or lose its lease because the
 * control plane was busy. And the restart scenario, small. The big figures (1,000 hosts, 30,000 and 100,000 instances) are
 * a benchmark (BENCHMARKS.md), not a test.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ZoneLossLoadEndToEndTest {

    @Test
    @DisplayName("3 members, 60 stand-in hosts, 1,000 instances, a zone lost: every displaced instance runs again, once,"
            + " and no surviving host is fenced or declared dead")
    void zoneLoss() throws Exception {
        JsonNode r = load("--hosts", "60", "--host-vcpus", "64", "--instances", "1000", "--concurrency", "8",
                "--scenario", "zone-loss");
        assertThat(r.get("refused").asLong()).as("refused creations: %s", r).isZero();
        assertThat(r.get("displacedInstances").asInt()).as("a third of the instances were on the lost zone").isBetween(200, 600);
        assertThat(r.get("recoveredInstances").asInt()).as("%s", r).isEqualTo(r.get("displacedInstances").asInt());
        assertThat(r.get("recoverySeconds").isNumber()).as("%s", r).isTrue();
        assertThat(r.get("detectionSeconds").asDouble()).as("dead after 5 s of silence").isBetween(4.0, 8.0);
        assertThat(r.get("doublePlacements").asLong()).as("an instance on two live hosts at once").isZero();
        assertThat(r.get("wronglyDeclaredDead").asLong()).as("surviving hosts judged").isZero();
        assertThat(r.get("wronglyFenced").asLong()).as("surviving hosts whose lease ran out").isZero();
        assertThat(r.get("heartbeatsDuringStorm").asLong()).isPositive();
        assertThat(r.get("serverCpuSecondsWhileCreating").asDouble()).as("the members' CPU, from /proc: %s", r).isPositive();
        assertThat(r.get("serverJitSecondsWhileCreating").asDouble()).as("cold members compile while creating: %s", r).isPositive();
    }

    @Test
    @DisplayName("restart: the leader killed -9 and started again is back with every write, the cloud places meanwhile;"
            + " then every member killed and started again places again")
    void restart() throws Exception {
        JsonNode r = load("--hosts", "30", "--instances", "300", "--concurrency", "8", "--scenario", "restart");
        assertThat(r.get("refused").asLong()).as("refused creations: %s", r).isZero();
        assertThat(r.get("hostsFencedWhileCreating").asLong()).as("%s", r).isZero();
        assertThat(r.get("leaderKilledFirstPlacementSeconds").isNumber()).as("a new leader placed: %s", r).isTrue();
        assertThat(r.get("memberRestartReadySeconds").isNumber()).as("the restarted member caught up: %s", r).isTrue();
        assertThat(r.get("restartReadySeconds").isNumber()).as("a member ready after every member restarted: %s", r).isTrue();
        assertThat(r.get("restartFirstPlacementSeconds").isNumber()).as("then a placement accepted: %s", r).isTrue();
    }

    /** Runs {@code phare load} with three started members and returns its JSON result. */
    private static JsonNode load(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("load", "--start-servers", "3",
                "--server-heap", "384m", "--json"));
        all.addAll(java.util.List.of(args));
        int code = cl.execute(all.toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        return new ObjectMapper().readTree(out.toString());
    }
}
