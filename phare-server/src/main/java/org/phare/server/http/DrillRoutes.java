package org.phare.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.phare.api.DrillReportFormat;
import org.phare.core.control.Command;
import org.phare.core.control.Controller;
import org.phare.core.drill.Drill;
import org.phare.core.drill.Outage;
import org.phare.core.drill.Prediction;
import org.phare.core.model.HostId;
import org.phare.core.report.DrillReport;
import org.phare.core.state.CloudState;
import org.phare.core.state.DrillManager.DrillRun;
import org.phare.server.runtime.ControlLoop;

/**
 * Full-scale exercises: {@code /v1/drills} (schedule or run one, list them), {@code /v1/drills/{id}} (its status),
 * {@code /v1/drills/{id}/abort}, {@code /v1/drills/{id}/probe} (the prober's report) and {@code /v1/drills/{id}/report}
 * (JSON, Markdown or HTML); and {@code /agent/v1/drill}, which a silent agent asks whether its fault still holds.
 */
final class DrillRoutes {
    private DrillRoutes() {
    }

    /** @param startAt ISO-8601 instant; absent: at once */
    record ScheduleRequest(Drill drill, String startAt, Prediction prediction) {}

    record AbortRequest(String reason) {}

    record ProbeRequest(Integer watched, Long probes, List<Outage> outages) {}

    static void register(RoutesConfig r, ControlLoop loop, IntSupplier members) {
        r.post("/v1/drills", ctx -> {
            ScheduleRequest req = ApiServer.body(ctx, ScheduleRequest.class);
            if (req.drill() == null) {
                throw new ApiError(400, "MissingParameter", "drill is required (phare drill run FILE sends it)");
            }
            long startAt = req.startAt() == null || req.startAt().isBlank() ? 0 : instant(req.startAt());
            if (req.drill().touchesLeader() && members.getAsInt() < 3) {
                throw new ApiError(409, "DrillNeedsMembers", "this drill acts on the control plane's leader: it needs at least 3 members"
                        + " so that another one takes over (this cloud has " + members.getAsInt() + "; try phare demo --servers 3)");
            }
            String by = Access.principal(ctx).account().value();
            ctx.status(201).json(loop.leader(c -> {
                String id = (String) ApiServer.ok(c.submit(new Command.ScheduleDrill(req.drill(), startAt, req.prediction(), by)));
                return summary(c.state().drills().get(id), c.state());
            }));
        });
        r.get("/v1/drills", ctx -> ctx.json(loop.call(v -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (DrillRun run : v.state().drills().all().reversed()) {
                out.add(summary(run, v.state()));
            }
            return out;
        })));
        r.get("/v1/drills/{id}", ctx -> {
            String id = ctx.pathParam("id");
            ctx.json(loop.call(v -> {
                DrillRun run = find(v.state(), id);
                Map<String, Object> out = summary(run, v.state());
                out.put("done", run.steps());
                out.put("checks", run.checks());
                out.put("manualInterventions", run.interventionCount());
                return out;
            }));
        });
        r.post("/v1/drills/{id}/abort", ctx -> {
            String id = ctx.pathParam("id");
            AbortRequest req = ctx.body().isBlank() ? new AbortRequest(null) : ApiServer.body(ctx, AbortRequest.class);
            String by = Access.principal(ctx).account().value();
            ctx.json(loop.leader(c -> {
                ApiServer.ok(c.submit(new Command.AbortDrill(id, req.reason(), by)));
                return summary(c.state().drills().get(id), c.state());
            }));
        });
        r.post("/v1/drills/{id}/probe", ctx -> {
            String id = ctx.pathParam("id");
            ProbeRequest req = ApiServer.body(ctx, ProbeRequest.class);
            if (req.watched() == null || req.probes() == null || req.outages() == null) {
                throw new ApiError(400, "MissingParameter", "watched, probes and outages are required");
            }
            String by = Access.principal(ctx).account().value();
            ctx.json(loop.leader(c -> {
                ApiServer.ok(c.submit(new Command.ReportProbe(id, req.watched(), req.probes(), req.outages(), by)));
                return summary(c.state().drills().get(id), c.state());
            }));
        });
        r.post("/v1/drills/{id}/findings", ctx -> {
            String id = ctx.pathParam("id");
            String by = Access.principal(ctx).account().value();
            ctx.json(Map.of("opened", loop.leader(c -> ApiServer.ok(c.submit(new Command.OpenDrillFindings(id, by))))));
        });
        r.get("/v1/drills/{id}/report", ctx -> {
            String id = ctx.pathParam("id");
            String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
            if (!List.of("json", "md", "html").contains(format)) {
                throw new ApiError(400, "InvalidParameterValue", "format is json, md or html, not '" + format + "'"
                        + " (phare drill report --format pdf renders the HTML into a PDF)");
            }
            long now = System.currentTimeMillis();
            DrillReport report = loop.call(v -> DrillReport.of(v.state(), find(v.state(), id), now));
            switch (format) {
                case "md" -> ctx.contentType("text/markdown; charset=utf-8").result(DrillReportFormat.markdown(report));
                case "html" -> ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                        .contentType("text/html; charset=utf-8").result(DrillReportFormat.html(report));
                default -> ctx.json(report);
            }
        });
        // Asked by an agent a drill silenced: does its fault still hold? (Answered by any member, from its state.)
        r.get("/agent/v1/drill", ctx -> {
            String host = ctx.queryParam("host");
            if (host == null || host.isBlank()) {
                throw new ApiError(400, "MissingParameter", "host is required");
            }
            long now = System.currentTimeMillis();
            var order = loop.call(v -> Controller.drillOrder(v.state(), new HostId(host), now));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("active", order != null);
            out.put("order", order);
            ctx.json(out);
        });
    }

    private static DrillRun find(CloudState state, String id) {
        DrillRun run = state.drills().get(id);
        if (run == null) {
            throw new ApiError(404, "NotFound", "no drill " + id + " (see: phare drill ls)");
        }
        return run;
    }

    static Map<String, Object> summary(DrillRun run, CloudState state) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", run.id());
        out.put("name", run.drill().name());
        out.put("status", run.status());
        out.put("announcement", run.drill().announcement().surprise() ? "surprise" : "announced");
        out.put("startAt", Instant.ofEpochMilli(run.scheduled().startAtMs()).toString());
        out.put("startedAt", run.started() == null ? null : Instant.ofEpochMilli(run.started().atMs()).toString());
        out.put("endedAt", run.ended() == null ? null : Instant.ofEpochMilli(run.ended().atMs()).toString());
        out.put("outcome", run.ended() == null ? null : run.ended().reason());
        out.put("steps", run.drill().timeline().size());
        out.put("stepsDone", run.steps().size());
        out.put("watched", run.started() == null ? List.of() : run.started().watched());
        out.put("probed", run.probed() != null);
        return out;
    }

    private static long instant(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new ApiError(400, "InvalidParameterValue", "startAt is an ISO-8601 instant such as 2026-12-07T09:00:00Z, not '"
                    + text + "'");
        }
    }
}
