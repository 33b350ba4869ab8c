package org.phare.server.http;

import org.phare.core.record.ContinuityRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phare.api.SitrepFormat;
import org.phare.core.state.CrisisCell;
import org.phare.core.control.Command;
import org.phare.core.record.Record;
import org.phare.core.report.Sitrep;
import org.phare.server.runtime.ControlLoop;

/**
 * The crisis cell: {@code /v1/crisis/sitrep} (the situation report from live data, as JSON, Markdown or one HTML
 * page), {@code /v1/crisis/meetings} (open, close, list with minutes and the cadence), {@code /v1/crisis/minutes}
 * (a line or a decision), {@code /v1/crisis/actions} (give, close, list); and the events the plan reacts to:
 * {@code /v1/transport} (transport lost or back in an area) and {@code /v1/plan/reopenings} (a closure lifted).
 */
final class CrisisRoutes {
    /** Meetings listed by GET /v1/crisis/meetings, the latest first. */
    static final int MEETINGS_LISTED = 20;

    private CrisisRoutes() {
    }

    record MinutesRequest(String text, Boolean decision) {}

    record ActionRequest(String text, String owner, String due) {}

    record CloseRequest(String outcome) {}

    record TransportRequest(String area, Boolean lost, String reason) {}

    record SiteRequest(String site) {}

    static void register(RoutesConfig r, ControlLoop loop) {
        r.get("/v1/crisis/sitrep", ctx -> {
            String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
            if (!List.of("json", "md", "html").contains(format)) {
                throw new ApiError(400, "InvalidParameterValue", "format is json, md or html, not '" + format + "'");
            }
            long now = System.currentTimeMillis();
            Sitrep sitrep = loop.call(v -> Sitrep.of(v.state(), now));
            switch (format) {
                case "md" -> ctx.contentType("text/markdown; charset=utf-8").result(SitrepFormat.markdown(sitrep));
                // One page that needs nothing: no script, no resource; the policy says so to browsers too.
                case "html" -> ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
                        .contentType("text/html; charset=utf-8").result(SitrepFormat.html(sitrep));
                default -> ctx.json(sitrep);
            }
        });
        r.get("/v1/crisis/meetings", ctx -> {
            long now = System.currentTimeMillis();
            ctx.json(loop.call(v -> {
                CrisisCell cell = v.state().crisis();
                List<CrisisCell.Meeting> all = cell.meetings();
                // The latest meetings, and their lines in one pass back over the minutes (theirs are the latest).
                int first = Math.max(1, all.size() - MEETINGS_LISTED + 1);
                Map<Integer, List<ContinuityRecord.MinutesRecorded>> lines = new java.util.HashMap<>();
                for (int i = cell.minutes().size() - 1; i >= 0; i--) {
                    ContinuityRecord.MinutesRecorded line = cell.minutes().get(i);
                    if (line.meeting() != 0 && line.meeting() < first) {
                        break;
                    }
                    lines.computeIfAbsent(line.meeting(), k -> new ArrayList<>()).add(0, line);
                }
                List<Map<String, Object>> meetings = new ArrayList<>();
                for (int id = all.size(); id >= first; id--) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("meeting", all.get(id - 1));
                    m.put("minutes", lines.getOrDefault(id, List.of()));
                    meetings.add(m);
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("timezone", v.state().plan() == null ? "UTC" : v.state().plan().timezone());
                out.put("current", cell.openMeeting());
                out.put("meetings", meetings);
                Sitrep.MeetingView view = Sitrep.meetings(v.state(), now);
                out.put("missed", view.missed());
                out.put("next", view.next());
                return out;
            }));
        });
        r.post("/v1/crisis/meetings", ctx -> {
            String by = by(ctx);
            ctx.status(201).json(loop.leader(c -> meeting(c, ApiServer.ok(c.submit(new Command.OpenMeeting(by))))));
        });
        r.post("/v1/crisis/meetings/close", ctx -> {
            String by = by(ctx);
            ctx.json(loop.leader(c -> meeting(c, ApiServer.ok(c.submit(new Command.CloseMeeting(by))))));
        });
        r.post("/v1/crisis/minutes", ctx -> {
            MinutesRequest req = ApiServer.body(ctx, MinutesRequest.class);
            String by = by(ctx);
            ctx.status(201).json(loop.leader(c -> {
                ApiServer.ok(c.submit(new Command.RecordMinutes(req.text(), Boolean.TRUE.equals(req.decision()), by)));
                List<ContinuityRecord.MinutesRecorded> m = c.state().crisis().minutes();
                return m.get(m.size() - 1);
            }));
        });
        r.get("/v1/crisis/actions", ctx -> {
            boolean all = "true".equalsIgnoreCase(ctx.queryParam("all"));
            long now = System.currentTimeMillis();
            ctx.json(loop.call(v -> v.state().crisis().actions().values().stream().filter(a -> all || a.open())
                    .map(a -> action(a, now, zone(v.state()))).toList()));
        });
        r.post("/v1/crisis/actions", ctx -> {
            ActionRequest req = ApiServer.body(ctx, ActionRequest.class);
            String by = by(ctx);
            long now = System.currentTimeMillis();
            ctx.status(201).json(loop.leader(c -> {
                int id = (Integer) ApiServer.ok(c.submit(new Command.OpenAction(req.text(), req.owner(), req.due(), by)));
                return action(c.state().crisis().actions().get(id), now, zone(c.state()));
            }));
        });
        r.post("/v1/crisis/actions/{id}/close", ctx -> {
            int id = actionId(ctx.pathParam("id"));
            CloseRequest req = ctx.body().isBlank() ? new CloseRequest(null) : ApiServer.body(ctx, CloseRequest.class);
            String by = by(ctx);
            long now = System.currentTimeMillis();
            ctx.json(loop.leader(c -> {
                ApiServer.ok(c.submit(new Command.CloseAction(id, req.outcome(), by)));
                return action(c.state().crisis().actions().get(id), now, zone(c.state()));
            }));
        });
        r.post("/v1/transport", ctx -> {
            TransportRequest req = ApiServer.body(ctx, TransportRequest.class);
            if (req.area() == null || req.area().isBlank() || req.lost() == null) {
                throw new ApiError(400, "MissingParameter", "area and lost (true: transport lost, false: back) are required");
            }
            String by = by(ctx);
            boolean hr = HealthData.readable(Access.principal(ctx));
            ctx.json(loop.leader(c -> LevelRoutes.withTriggers(c, "area",
                    new Command.SetTransport(req.area(), req.lost(), req.reason(), by), hr)));
        });
        r.post("/v1/plan/reopenings", ctx -> {
            SiteRequest req = ApiServer.body(ctx, SiteRequest.class);
            if (req.site() == null || req.site().isBlank()) {
                throw new ApiError(400, "MissingParameter", "site is required (a site id or an area)");
            }
            String by = by(ctx);
            ctx.json(Map.of("reopened", loop.leader(c -> ApiServer.ok(c.submit(new Command.ReopenSites(req.site(), by))))));
        });
    }

    private static String by(Context ctx) {
        return Access.principal(ctx).account().value();
    }

    private static CrisisCell.Meeting meeting(org.phare.core.control.Controller c, Object id) {
        return c.state().crisis().meeting((Integer) id);
    }

    private static int actionId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ApiError(400, "InvalidParameterValue", "an action id is a number, not '" + text + "'");
        }
    }

    private static java.time.ZoneId zone(org.phare.core.state.CloudState state) {
        return java.time.ZoneId.of(state.plan() == null ? "UTC" : state.plan().timezone());
    }

    /** An action with whether it is overdue now, and its due time in the plan's time zone. */
    private static Map<String, Object> action(CrisisCell.Action a, long nowMs, java.time.ZoneId zone) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("text", a.text());
        m.put("owner", a.owner());
        m.put("dueMs", a.dueMs());
        m.put("due", java.time.Instant.ofEpochMilli(a.dueMs()).atZone(zone).toOffsetDateTime().toString());
        m.put("overdue", a.open() && a.dueMs() < nowMs);
        m.put("meeting", a.meeting());
        m.put("openedBy", a.openedBy());
        m.put("openedAtMs", a.openedAtMs());
        m.put("open", a.open());
        m.put("closedAtMs", a.open() ? null : a.closedAtMs());
        m.put("closedBy", a.closedBy());
        m.put("outcome", a.outcome());
        return m;
    }
}
