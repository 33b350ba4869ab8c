package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phare.api.DrillReportFormat;
import org.phare.api.DrillYaml;
import org.phare.api.Json;
import org.phare.core.drill.Drill;
import org.phare.core.report.DrillReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code phare drill schedule|run|abort|status|ls|report}: drills on the live cloud. The drill runs in the control
 * plane (every step a record, carried on by a new leader); {@code run --wait} also probes the watched instances from
 * outside, as a customer would, and gives the cloud what it saw.
 */
final class DrillLiveCommands {
    private DrillLiveCommands() {
    }

    /** How often {@code --wait} asks how the drill goes, and prints it. */
    static final long POLL_MS = 1_000;

    static Drill read(Path file) {
        try {
            return DrillYaml.parse(ClientCommands.ClientCommand.readText(file));
        } catch (DrillYaml.Invalid e) {
            throw new ApiClient.Failure(file + ": " + e.getMessage());
        }
    }

    /** A drill recorded: the server's summary, and the prediction sent with it (or null). */
    record Scheduled(JsonNode summary, org.phare.core.drill.Prediction prediction) {
        String id() {
            return summary.path("id").asText();
        }

        /** The id on its own line (the first, for scripts), then the prediction on one line when there is one. */
        void print(java.io.PrintWriter out) {
            out.println(id());
            if (prediction != null) {
                out.printf(java.util.Locale.ROOT, "predicted over %d simulated runs: longest outage per instance p50 %.1f s, p95"
                        + " %.1f s, max %.1f s%n", prediction.seeds(), prediction.p50Seconds(), prediction.p95Seconds(), prediction.maxSeconds());
            }
        }
    }

    static Scheduled schedule(ApiClient api, Drill drill, String startAt, int predictSeeds, java.io.PrintWriter err) {
        org.phare.core.drill.Prediction prediction = predictSeeds <= 0 ? null : predict(api, drill, predictSeeds, err);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("drill", drill);
        body.put("startAt", startAt);
        body.put("prediction", prediction);
        return new Scheduled(api.post("/v1/drills", body), prediction);
    }

    /**
     * The simulator's prediction of the drill on the live cloud's hosts and instances (as phare drill predict --live),
     * recorded with the drill so that the report puts it beside what the prober sees; null, said on stderr, if it cannot run.
     */
    static org.phare.core.drill.Prediction predict(ApiClient api, Drill drill, int seeds, java.io.PrintWriter err) {
        try {
            DrillCloud cloud = DrillCloud.live(api, "the cloud");
            org.phare.sim.DrillPrediction p = org.phare.sim.DrillPrediction.predict(
                    new org.phare.sim.DrillSimulation.Setup(cloud.shape(), drill, cloud.plan(), cloud.roster()), 1, seeds, line -> { });
            var o = p.outage();
            return new org.phare.core.drill.Prediction(seeds, o.instances(), o.affected(), o.p50Seconds(), o.p95Seconds(), o.maxSeconds());
        } catch (RuntimeException e) {
            err.println("phare: no prediction recorded (the simulator could not run this drill on this cloud: " + e.getMessage() + ")");
            err.flush();
            return null;
        }
    }

    @Command(name = "schedule", mixinStandardHelpOptions = true, description = "Records a drill to start at a given time. An announced drill (announced: 1d) is told to the crisis cell from then on (the situation report and the meetings' agenda); a surprise is told to nobody. One drill at a time.",
            footer = {"", "Examples:", "  phare drill schedule zone-loss.yaml --at 2026-12-08T02:00:00Z"})
    static final class Schedule extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "FILE", description = "The drill (see: phare drill init).")
        Path file;

        @Option(names = "--predict-seeds", defaultValue = "10", paramLabel = "N", description = "Simulated runs of the drill on"
                + " this cloud's hosts and instances before it starts, recorded as its prediction (0: none; default: ${DEFAULT-VALUE}).")
        int predictSeeds;

        @Option(names = "--at", required = true, paramLabel = "TIME", description = "When it starts, an ISO-8601 instant (2026-12-08T02:00:00Z).")
        String at;

        @Override
        void run(ApiClient api) {
            try {
                Instant.parse(at);
            } catch (DateTimeParseException e) {
                throw new ApiClient.Failure("--at is an ISO-8601 instant such as 2026-12-08T02:00:00Z, not '" + at + "'");
            }
            Scheduled scheduled = schedule(api, read(file), at, predictSeeds, spec.commandLine().getErr());
            scheduled.print(out());
            JsonNode d = scheduled.summary();
            out().println("scheduled " + d.path("name").asText() + " to start " + d.path("startAt").asText()
                    + " (" + d.path("announcement").asText() + "); see: phare drill status " + d.path("id").asText());
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Runs a drill on the live cloud now. Its faults reach real processes: agents crash with their instances, freeze or are cut off; the leader stops, freezes or steps down; people are made absent or quarantined, sites closed, transport lost. With --wait, prints the drill's id on its first line, probes every watched instance every 200 ms from here (outside the control plane), prints progress, gives the cloud what the prober saw and returns when the drill ends. Ctrl-C does not stop the drill: phare drill abort ID does, healing every fault.",
            footer = {"", "Examples:", "  phare drill run zone-loss.yaml --now --wait", "  phare drill report drill-1 --format html --out report.html"})
    static final class Run extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "FILE", description = "The drill (see: phare drill init).")
        Path file;

        @Option(names = "--predict-seeds", defaultValue = "10", paramLabel = "N", description = "Simulated runs of the drill on"
                + " this cloud's hosts and instances before it starts, recorded as its prediction (0: none; default: ${DEFAULT-VALUE}).")
        int predictSeeds;

        @Option(names = "--now", description = "Start at once (the default; kept for scripts that say so).")
        boolean now;

        @Option(names = "--wait", description = "Probe, print progress and return when the drill ends.")
        boolean waitForEnd;

        @Option(names = "--timeout", defaultValue = "PT2H", paramLabel = "DURATION",
                description = "With --wait: give up waiting (the drill goes on) after this long (default: ${DEFAULT-VALUE}).")
        java.time.Duration timeout;

        @Override
        void run(ApiClient api) {
            Drill drill = read(file);
            Scheduled scheduled = schedule(api, drill, null, predictSeeds, spec.commandLine().getErr());
            String id = scheduled.id();
            scheduled.print(out());
            out().flush();
            if (!waitForEnd) {
                out().println("started " + drill.name() + "; see: phare drill status " + id + ", phare drill abort " + id);
                return;
            }
            JsonNode status = awaitStart(api, id);
            List<String> watched = new ArrayList<>();
            status.path("watched").forEach(w -> watched.add(w.asText()));
            out().println("drill " + id + " (" + drill.name() + ") started; probing " + watched.size() + " instances every "
                    + Prober.PERIOD_MS + " ms");
            out().flush();
            long deadline = System.nanoTime() + timeout.toNanos();
            try (Prober prober = new Prober(watched, () -> addresses(api)).start()) {
                String last = "";
                while (true) {
                    sleep(POLL_MS);
                    JsonNode s = tryGet(api, "/v1/drills/" + id);
                    if (s != null) {
                        String line = s.path("status").asText() + ": " + s.path("stepsDone").asInt() + "/" + s.path("steps").asInt()
                                + " steps, " + prober.downNow() + " instances down now, " + prober.outages().size() + " outages seen";
                        if (!line.equals(last)) {
                            out().println("  " + line);
                            out().flush();
                            last = line;
                        }
                        if (!s.path("endedAt").isNull() && !s.path("endedAt").isMissingNode()) {
                            break;
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new ApiClient.Failure("gave up waiting after " + timeout + "; the drill goes on (phare drill status " + id + ")");
                    }
                }
                Map<String, Object> probe = new LinkedHashMap<>();
                probe.put("watched", watched.size());
                probe.put("probes", prober.probes());
                probe.put("outages", prober.outages());
                api.post("/v1/drills/" + id + "/probe", probe);
            }
            JsonNode report = api.get("/v1/drills/" + id + "/report");
            out().println(summary(report));
            out().println("report: phare drill report " + id + " --format html --out report.html");
        }

        private JsonNode awaitStart(ApiClient api, String id) {
            for (int i = 0; i < 600; i++) {
                JsonNode s = tryGet(api, "/v1/drills/" + id);
                if (s != null && !"scheduled".equals(s.path("status").asText())) {
                    return s;
                }
                sleep(100);
            }
            throw new ApiClient.Failure("drill " + id + " did not start within a minute (phare drill status " + id + ")");
        }
    }

    /** Each instance's address as the cloud shows it now. */
    static Map<String, String> addresses(ApiClient api) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode i : api.list("/v1/instances")) {
            if ("running".equals(i.path("state").asText()) && i.hasNonNull("address")) {
                out.put(i.path("id").asText(), i.path("address").asText());
            }
        }
        return out;
    }

    private static JsonNode tryGet(ApiClient api, String path) {
        try {
            return api.get(path);
        } catch (ApiClient.Failure e) {
            return null; // a leader change: ask again at the next poll
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiClient.Failure("interrupted");
        }
    }

    static String summary(JsonNode r) {
        StringBuilder b = new StringBuilder();
        b.append(r.path("id").asText()).append(" ").append(r.path("status").asText()).append(": ").append(r.path("reason").asText()).append('\n');
        for (JsonNode o : r.path("objectives")) {
            String met = o.path("met").isNull() ? "not judged" : o.path("met").asBoolean() ? "met" : "NOT MET";
            b.append("  [").append(met).append("] ").append(o.path("text").asText()).append(" — ").append(o.path("evidence").asText()).append('\n');
        }
        JsonNode out = r.path("outage");
        b.append(String.format(java.util.Locale.ROOT, "  outage seen by the prober: %d of %d instances, p50 %.1f s, p95 %.1f s, max %.1f s%n",
                out.path("instances").asInt(), out.path("watched").asInt(), out.path("p50Seconds").asDouble(),
                out.path("p95Seconds").asDouble(), out.path("maxSeconds").asDouble()));
        b.append("  manual interventions: ").append(r.path("manualInterventions").asInt());
        return b.toString();
    }

    @Command(name = "abort", mixinStandardHelpOptions = true, description = "Ends a drill at once and heals every fault it"
            + " caused: silenced agents talk again (a crashed one comes back as a rebooted host), people and sites are put back.",
            footer = {"", "Example:", "  phare drill abort drill-1 --reason \"a real incident\""})
    static final class Abort extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--reason", description = "Why (in the report).")
        String reason;

        @Override
        void run(ApiClient api) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("reason", reason);
            JsonNode d = api.post("/v1/drills/" + id + "/abort", body);
            out().println(d.path("id").asText() + " " + d.path("status").asText() + ": " + d.path("outcome").asText());
        }
    }

    @Command(name = "findings", mixinStandardHelpOptions = true, description = "A drill's findings (an objective not met,"
            + " prediction and reality apart, a critical function short of people), each with its corrective action, owner and"
            + " due date; with --open, each becomes an action of the crisis cell (once), tracked in the situation report.",
            footer = {"", "Example:", "  phare drill findings drill-1 --open"})
    static final class Findings extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--open", description = "Open each finding as an action of the crisis cell.")
        boolean open;

        @Override
        void run(ApiClient api) {
            JsonNode findings = api.get("/v1/drills/" + id + "/report").path("findings");
            if (findings.isEmpty()) {
                out().println("no findings: every objective met");
                return;
            }
            for (JsonNode f : findings) {
                out().println("- " + f.path("text").asText() + "\n    " + f.path("action").asText() + " (owner " + f.path("owner").asText()
                        + ", due " + Instant.ofEpochMilli(f.path("dueMs").asLong()) + ")");
            }
            if (open) {
                JsonNode opened = api.post("/v1/drills/" + id + "/findings", Map.of()).path("opened");
                out().println("opened " + opened.size() + " action(s) of the crisis cell" + (opened.isEmpty() ? " (all were open already)"
                        : ": " + opened) + "; see: phare crisis action ls");
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "A drill's status: its steps carried out, its checks, manual interventions.")
    static final class Status extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        void run(ApiClient api) {
            JsonNode d = api.get("/v1/drills/" + id);
            if ("json".equals(connection.output)) {
                out().println(d.toPrettyString());
                return;
            }
            out().println(d.path("id").asText() + " " + d.path("name").asText() + ": " + d.path("status").asText()
                    + (d.path("outcome").isNull() ? "" : " (" + d.path("outcome").asText() + ")"));
            out().println("  starts " + d.path("startAt").asText() + (d.path("startedAt").isNull() ? "" : ", started " + d.path("startedAt").asText())
                    + (d.path("endedAt").isNull() ? "" : ", ended " + d.path("endedAt").asText()));
            for (JsonNode s : d.path("done")) {
                out().println("  step " + s.path("step").asInt() + " at " + Instant.ofEpochMilli(s.path("atMs").asLong()) + ": " + s.path("detail").asText());
            }
            for (JsonNode c : d.path("checks")) {
                out().println("  check " + c.path("step").asInt() + (c.path("met").asBoolean() ? " met: " : " NOT met: ") + c.path("detail").asText());
            }
            out().println("  manual interventions: " + d.path("manualInterventions").asLong());
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Drills, the latest first.")
    static final class Ls extends ClientCommands.ClientCommand {
        @Override
        void run(ApiClient api) {
            List<JsonNode> rows = new ArrayList<>();
            api.get("/v1/drills").forEach(rows::add);
            Output.print(out(), connection.output, rows, new String[] {"id", "name", "status", "announcement", "startAt", "endedAt", "stepsDone", "steps"});
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, description = "The exercise report for auditors (ISO 22301 §8.5, SecNumCloud): objectives met or not with evidence, scope, announcement, the timeline of faults and of what the cloud and the crisis cell did, failovers, outages per instance as the prober saw them, people's coverage, manual interventions, prediction against reality, findings with corrective actions, owners and due dates.",
            footer = {"", "Examples:", "  phare drill report drill-1", "  phare drill report drill-1 --format pdf --out report.pdf"})
    static final class Report extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--format", defaultValue = "md", description = "md, html, pdf or json (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE (required for pdf).")
        Path file;

        @Override
        void run(ApiClient api) {
            if (!List.of("md", "html", "pdf", "json").contains(format)) {
                throw new ApiClient.Failure("--format is md, html, pdf or json, not '" + format + "'");
            }
            if ("pdf".equals(format) && file == null) {
                throw new ApiClient.Failure("a PDF goes to a file: add --out report.pdf");
            }
            JsonNode json = api.get("/v1/drills/" + id + "/report");
            byte[] bytes;
            try {
                DrillReport report = Json.mapper().treeToValue(json, DrillReport.class);
                bytes = switch (format) {
                    case "json" -> (json.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
                    case "html" -> DrillReportFormat.html(report).getBytes(StandardCharsets.UTF_8);
                    case "pdf" -> DrillReportPdf.render(report);
                    default -> DrillReportFormat.markdown(report).getBytes(StandardCharsets.UTF_8);
                };
            } catch (IOException e) {
                throw new ApiClient.Failure("cannot read the server's report: " + e.getMessage());
            }
            emit(bytes, file);
        }
    }
}
