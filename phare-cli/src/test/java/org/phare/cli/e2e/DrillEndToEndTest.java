package org.phare.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15: a drill run live against real processes. One server and three agents (one per zone), six http-echo
 * instances; {@code phare drill run FILE --now --wait} crashes the agent of zone a (its instance processes killed,
 * SIGKILL) for 10 s, probes every instance from outside every 200 ms, and ends; the report says what the prober saw,
 * as JSON and as a PDF read back. A second drill isolates an agent for ever and is aborted: the agent talks again at
 * once. Throughout, no instance ever has two live processes (the OS's process table, polled every 100 ms).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DrillEndToEndTest {
    @TempDir
    Path tmp;

    @RegisterExtension
    final LocalCloud.Extension clouds = new LocalCloud.Extension();

    private static final String CRASH = """
            name: crash-a
            announced: surprise
            scope: {zones: [eu-west-2a]}
            objectives:
              - text: every instance of zone a answers again within 30 s
                outageWithin: 30s
              - text: no manual intervention
                manualInterventions: 0
            timeline:
              - at: 0s
                loseZone: eu-west-2a
                for: 10s
            """;

    private static final String ISOLATE = """
            name: isolate-b
            announced: surprise
            objectives: []
            timeline:
              - at: 0s
                isolateAgent: {zone: eu-west-2b, count: 1}
            """;

    @Test
    @DisplayName("a zone crashed by a drill: its instances' processes killed, every one answers again elsewhere, the prober's"
            + " outages in the report (JSON and PDF), never two copies; an isolation until aborted heals at once")
    void crashThenAbort() throws Exception {
        LocalCloud cloud = clouds.start(tmp, "zone").serverFlags(List.of("-Dphare.drill.settleMs=5000"));
        cloud.startServer();
        cloud.startAgentPerZone();
        assertThat(cloud.cli("cluster", "upgrade-format").exit()).isZero(); // a no-op: a new cloud is at the newest format
        HttpResponse<String> created = cloud.post("/v1/instances",
                Map.of("image", LocalCloud.IMAGE, "type", LocalCloud.SMALL_TYPE, "count", 6), Duration.ofSeconds(30));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        LocalCloud.eventually().until(() -> cloud.instances().stream().allMatch(i -> "running".equals(i.get("state").asText())));
        List<String> inA = new ArrayList<>();
        cloud.instances().forEach(i -> {
            if ("eu-west-2a".equals(i.get("zone").asText())) {
                inA.add(i.get("id").asText());
            }
        });
        assertThat(inA).isNotEmpty();

        Path crash = tmp.resolve("crash.yaml");
        Files.writeString(crash, CRASH);
        CopyWatch watch = CopyWatch.start(cloud);
        try {
            LocalCloud.CliRun run = cloud.cli("drill", "run", crash.toString(), "--now", "--wait");
            assertThat(run.exit()).as(run.output()).isZero();
            String id = run.output().lines().findFirst().orElseThrow();
            assertThat(id).as("the drill's id on the first line").isEqualTo("drill-1");
            assertThat(run.output()).contains("probing " + inA.size() + " instances").contains("1/1 steps");

            JsonNode report = cloud.get("/v1/drills/" + id + "/report");
            assertThat(report.get("status").asText()).isEqualTo("completed");
            JsonNode outage = report.get("outage");
            assertThat(outage.get("reported").asBoolean()).isTrue();
            assertThat(outage.get("watched").asInt()).isEqualTo(inA.size());
            assertThat(outage.get("instances").asInt()).as("every crashed instance was seen down").isEqualTo(inA.size());
            assertThat(outage.get("maxSeconds").asDouble()).as("down at least until declared dead").isGreaterThan(1.0);
            assertThat(report.get("manualInterventions").asInt()).isZero();
            JsonNode predicted = report.get("prediction");
            assertThat(predicted.get("instances").asInt()).as("the simulator placed this cloud's instances: %s", predicted)
                    .isEqualTo(inA.size());
            assertThat(predicted.get("maxSeconds").asDouble()).as("a zone crashed is predicted as an outage").isPositive();
            assertThat(report.get("objectives").get(1).get("met").asBoolean()).isTrue();
            assertThat(report.get("failovers").size()).isEqualTo(inA.size());
            for (String i : inA) {
                JsonNode now = cloud.get("/v1/instances/" + i);
                assertThat(now.get("state").asText()).isEqualTo("running");
                assertThat(now.get("zone").asText()).isNotEqualTo("eu-west-2a");
            }

            Path pdf = tmp.resolve("report.pdf");
            LocalCloud.CliRun written = cloud.cli("drill", "report", id, "--format", "pdf", "--out", pdf.toString());
            assertThat(written.exit()).as(written.output()).isZero();
            try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
                String text = new PDFTextStripper().getText(doc);
                assertThat(text).contains("Exercise report").contains("crash-a").contains("every instance of zone a answers again")
                        .contains("Manual interventions: 0").contains("Findings and corrective actions");
            }

            // An isolation that lasts until the drill ends, aborted: the agent comes back at once, nothing else moves.
            Path isolate = tmp.resolve("isolate.yaml");
            Files.writeString(isolate, ISOLATE);
            LocalCloud.CliRun started = cloud.cli("drill", "run", isolate.toString());
            assertThat(started.exit()).as(started.output()).isZero();
            String second = started.output().lines().findFirst().orElseThrow();
            LocalCloud.eventually().until(() -> cloud.get("/v1/drills/" + second).get("stepsDone").asInt() == 1);
            String silenced = cloud.get("/v1/drills/" + second).get("done").get(0).get("targets").get(0).asText();
            LocalCloud.CliRun aborted = cloud.cli("drill", "abort", second, "--reason", "test over");
            assertThat(aborted.exit()).as(aborted.output()).isZero();
            assertThat(cloud.get("/v1/drills/" + second).get("status").asText()).isEqualTo("aborted");
            LocalCloud.eventually().until(() -> cloud.hosts().stream().filter(h -> h.get("id").asText().equals(silenced))
                    .allMatch(h -> "ready".equals(h.get("state").asText())));
            // The silenced agent asks whether its fault holds once per beat: it heals within a beat or two of the abort.
            LocalCloud.eventually().until(() -> cloud.processLogs().contains("DRILL " + second + ": healed after"));
            LocalCloud.eventually().until(() -> cloud.hosts().stream().filter(h -> h.get("id").asText().equals(silenced))
                    .allMatch(h -> "ready".equals(h.get("state").asText())));
        } finally {
            watch.close();
        }
        assertThat(watch.violations()).as(watch.toString()).isEmpty();
    }
}
