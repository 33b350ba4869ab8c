package org.phare.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.cli.e2e.LocalCloud.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.phare.api.PlanYaml;
import org.phare.core.health.HealthConfig;

/**
 * Issue 6: the crisis cell's situation report reflects a zone failure of a real cloud (a server and one agent per
 * zone, on loopback) and the failovers it caused; the crisis cell works through the CLI; and the at-risk flag of
 * the roster appears in no log and in no output of a role other than hr.
 */
// A guard against a hang only: nothing here measures time; every wait is bounded on its own.
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SitrepEndToEndTest {
    /** Two people at risk, whose names must never reach a log; one without VPN. */
    static final String ROSTER = """
            id,name,roles,site,vpn,mfa,at_risk
            p1,Ottilie Varga,operator,paris-hq,yes,yes,yes
            p2,Bruno Lemaire,operator,saint-cloud,no,no,no
            p3,Chiara Rossi,network,paris-hq,yes,yes,no
            p4,Desmond Okafor,network;security,paris-hq,yes,yes,yes
            p5,Elif Demir,support,paris-hq,yes,yes,no
            """;
    static final List<String> AT_RISK_NAMES = List.of("Ottilie Varga", "Desmond Okafor");

    @TempDir
    Path tmp;

    @RegisterExtension
    final LocalCloud.Extension clouds = new LocalCloud.Extension();

    @Test
    @DisplayName("a zone fails: the sitrep shows it down, the plan's recommendation, every failover with its recovery time")
    void zoneFailureInTheSitrep() throws Exception {
        LocalCloud cloud = clouds.start(tmp, "none");
        cloud.startServer();
        Map<String, LocalCloud.Agent> agents = cloud.startAgentPerZone();
        cloud.client().putText("/v1/plan", "application/yaml", PlanYaml.defaultPlanText());
        cloud.client().putOrPostText("POST", "/v1/staff", "text/csv", ROSTER);
        HttpResponse<String> created = cloud.post("/v1/instances",
                Map.of("image", LocalCloud.IMAGE, "type", LocalCloud.SMALL_TYPE, "count", 6), Duration.ofSeconds(30));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        eventually().untilAsserted(() -> assertThat(cloud.instances()).hasSize(6)
                .allSatisfy(i -> assertThat(i.get("state").asText()).isEqualTo("running")));

        // The crisis cell meets: the failovers of the report are those since this meeting.
        ok(cloud.cli("crisis", "meeting", "open"));
        ok(cloud.cli("crisis", "decide", "keep level 0; watch eu-west-2"));
        LocalCloud.CliRun action = cloud.cli("crisis", "action", "add", "check the spare capacity of every zone", "--owner", "operator", "--due", "+4h");
        ok(action);
        assertThat(action.output()).contains("action 1 given to operator");
        ok(cloud.cli("crisis", "meeting", "close"));

        // The zone of the busiest host fails: its only agent is killed.
        Map<String, List<String>> byHost = cloud.instances().stream().collect(Collectors.groupingBy(i -> i.get("host").asText(),
                TreeMap::new, Collectors.mapping(i -> i.get("id").asText(), Collectors.toList())));
        String victimHost = byHost.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size())).orElseThrow().getKey();
        LocalCloud.Agent victim = agents.get(victimHost);
        List<String> moved = byHost.get(victimHost);
        cloud.killAgent(victim);
        eventually().untilAsserted(() -> {
            for (JsonNode i : cloud.instances()) {
                if (moved.contains(i.get("id").asText())) {
                    assertThat(i.path("host").asText()).isNotEqualTo(victimHost);
                    assertThat(i.get("state").asText()).isEqualTo("running");
                }
            }
        });

        LocalCloud.CliRun json = cloud.cli("crisis", "sitrep", "--format", "json");
        ok(json);
        JsonNode sitrep = LocalCloud.readTree(json.output());
        JsonNode zone = null;
        for (JsonNode z : sitrep.at("/regions/0/zones")) {
            if (z.get("zone").asText().equals(victim.zone)) {
                zone = z;
            }
        }
        assertThat(zone).as("the victim's zone in the report").isNotNull();
        assertThat(zone.get("status").asText()).isEqualTo("down");
        assertThat(zone.get("dead").asInt()).isEqualTo(1);
        assertThat(zone.get("instances").asInt()).isZero();
        assertThat(sitrep.at("/regions/0/status").asText()).isEqualTo("degraded");
        assertThat(sitrep.at("/level/down")).extracting(d -> d.get("id").asText()).contains(victim.zone);
        assertThat(sitrep.at("/level/recommendations")).as("the default plan recommends on infrastructure events")
                .anySatisfy(r -> assertThat(r.get("trigger").asText()).isEqualTo("infrastructure"));
        JsonNode failovers = sitrep.get("failovers");
        assertThat(failovers.get("since").asText()).isEqualTo("meeting 1");
        assertThat(failovers.get("recovered").asInt()).isEqualTo(moved.size());
        assertThat(failovers.at("/byZone/" + victim.zone).asInt()).isEqualTo(moved.size());
        // Issue 12: the outage is counted from the host's last heartbeat, not from its declaration. Detection, the
        // difference, is the silence the controller measured when it declared the host dead: at least dead-after
        // (the agent was killed at most one heartbeat interval after its last heartbeat, so more cannot be claimed
        // from the kill), at most dead-after and a few ticks of the controller's loop.
        HealthConfig health = HealthConfig.defaults();
        long deadAfterMs = health.deadAfter().toMillis();
        List<String> reported = new ArrayList<>();
        for (JsonNode f : failovers.get("latest")) {
            String id = f.get("instance").asText();
            reported.add(id);
            assertThat(f.get("fromHost").asText()).isEqualTo(victimHost);
            assertThat(f.get("toZone").asText()).isNotEqualTo(victim.zone);
            assertThat(f.get("runningAtMs").asLong()).isGreaterThanOrEqualTo(f.get("hostDeadAtMs").asLong());
            assertThat(f.get("outageMs").isNumber()).as("%s: outage in %s", id, f).isTrue();
            long replacement = f.get("replacementMs").asLong();
            long outage = f.get("outageMs").asLong();
            assertThat(outage).as("%s: outage >= recovery after the declaration", id).isGreaterThanOrEqualTo(replacement);
            assertThat(outage - replacement).as("%s: outage - recovery after the declaration, about dead-after", id)
                    .isEqualTo(f.get("detectionMs").asLong())
                    .isBetween(deadAfterMs - health.heartbeatInterval().toMillis(), deadAfterMs + 5_000);
            assertThat(f.get("hostLastHeardMs").asLong()).isEqualTo(f.get("hostDeadAtMs").asLong() - outage + replacement);
        }
        assertThat(reported).containsExactlyInAnyOrderElementsOf(moved);
        JsonNode replacement = failovers.get("replacement");
        JsonNode outage = failovers.get("outage");
        assertThat(replacement.get("maxMs").asLong()).isGreaterThanOrEqualTo(replacement.get("p50Ms").asLong()).isPositive();
        assertThat(outage.get("count").asInt()).isEqualTo(moved.size());
        assertThat(outage.get("p50Ms").asLong()).isGreaterThanOrEqualTo(replacement.get("p50Ms").asLong() + deadAfterMs - health.heartbeatInterval().toMillis());
        assertThat(outage.get("maxMs").asLong()).isGreaterThanOrEqualTo(outage.get("p50Ms").asLong());
        assertThat(sitrep.at("/lastDecisions/0/text").asText()).isEqualTo("keep level 0; watch eu-west-2");
        assertThat(sitrep.get("openActionsTotal").asInt()).isEqualTo(1);

        LocalCloud.CliRun md = cloud.cli("crisis", "sitrep");
        ok(md);
        assertThat(md.output()).contains("# Situation report", "| " + victim.zone + " | down | 1 (0 ready, 1 dead) |", "Declared down: zone " + victim.zone,
                moved.size() + " instance(s) restarted elsewhere", "check the spare capacity of every zone",
                "| instance | from | to | running since | detection | re-placement | outage |",
                "counted from the host's last heartbeat");
        moved.forEach(id -> assertThat(md.output()).contains(id));
        Path page = tmp.resolve("sitrep.html");
        ok(cloud.cli("crisis", "sitrep", "--format", "html", "--out", page.toString()));
        assertThat(Files.readString(page)).startsWith("<!DOCTYPE html>").contains(victim.zone, moved.get(0)).doesNotContain("<script");

        // Confidentiality: the at-risk flag never leaves the server for these roles, and no log names an at-risk person.
        for (LocalCloud.CliRun r : List.of(md, json, cloud.cli("staff", "ls", "-o", "json"), cloud.cli("coverage", "-o", "json"),
                cloud.cli("level", "set", "1", "--reason", "zone lost", "-o", "json"))) {
            ok(r);
            assertThat(r.output()).doesNotContainIgnoringCase("atRisk").doesNotContainIgnoringCase("at_risk");
        }
        String logs = cloud.processLogs();
        assertThat(logs).contains("zone " + victim.zone + " down", "alert level 0 -> 1 by operator"); // the logs speak of it
        AT_RISK_NAMES.forEach(name -> assertThat(logs).doesNotContain(name));
        assertThat(logs).doesNotContainIgnoringCase("atRisk").doesNotContainIgnoringCase("at_risk");
    }

    private static void ok(LocalCloud.CliRun r) {
        assertThat(r.exit()).as(r.output()).isZero();
    }
}
