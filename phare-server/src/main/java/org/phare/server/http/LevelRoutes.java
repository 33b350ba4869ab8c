package org.phare.server.http;

import org.phare.core.record.ContinuityRecord;
import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phare.core.control.Command;
import org.phare.core.record.Record;
import org.phare.server.runtime.ControlLoop;

/**
 * {@code /v1/level}: the alert level in force with its history ({@code GET}), and a change of level with its
 * reason ({@code POST {"level", "reason"}}), answered with the actions it implies: measures to activate and to
 * lift, people to switch to remote, people who cannot (not remote-ready), people who may come back, and the crisis
 * cell's next meetings. All of it is recorded with who, when and why. Who is sent home at a level that sends the
 * at-risk home is health data: the people are named to HR only, counted for everyone else ({@link HealthData});
 * {@code GET} gives the actions of the change that set the level in force, which is how HR reads the names.
 */
final class LevelRoutes {
    private LevelRoutes() {
    }

    record LevelRequest(Integer level, String reason) {}

    record ClosureRequest(String site, String order) {}

    static void register(RoutesConfig r, ControlLoop loop) {
        r.get("/v1/level", ctx -> {
            boolean hr = HealthData.readable(Access.principal(ctx));
            ctx.json(loop.call(v -> {
                List<ContinuityRecord.LevelChanged> history = v.state().levelHistory();
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("level", v.state().level());
                ContinuityRecord.LevelChanged last = history.isEmpty() ? null : history.get(history.size() - 1);
                out.put("sinceMs", last == null ? null : last.atMs());
                out.put("by", last == null ? null : last.by());
                out.put("reason", last == null ? null : last.reason());
                out.put("actions", last == null ? null : HealthData.actions(last.actions(), hr));
                out.put("history", history.stream().map(LevelRoutes::summary).toList());
                // Copies: the answer is written after the loop has moved on.
                out.put("closedSites", Map.copyOf(v.state().closedSites()));
                out.put("recommendations", List.copyOf(v.state().recommendations()));
                return out;
            }));
        });
        // An order closing a site or an area: recorded, then the plan's closure-order triggers answer.
        r.post("/v1/plan/closures", ctx -> {
            ClosureRequest req = ApiServer.body(ctx, ClosureRequest.class);
            if (req.site() == null || req.site().isBlank()) {
                throw new ApiError(400, "MissingParameter", "site is required (a site id or an area)");
            }
            String by = Access.principal(ctx).account().value();
            boolean hr = HealthData.readable(Access.principal(ctx));
            ctx.status(201).json(loop.leader(c -> withTriggers(c, "closed", new Command.CloseSites(req.site(), req.order(), by), hr)));
        });
        r.post("/v1/level", ctx -> {
            LevelRequest req = ApiServer.body(ctx, LevelRequest.class);
            if (req.level() == null) {
                throw new ApiError(400, "MissingParameter", "level is required");
            }
            String by = Access.principal(ctx).account().value();
            boolean hr = HealthData.readable(Access.principal(ctx));
            Object change = loop.leader(c -> {
                int before = c.state().level();
                ApiServer.ok(c.submit(new Command.SetLevel(req.level(), by, req.reason(), "manual")));
                List<ContinuityRecord.LevelChanged> h = c.state().levelHistory();
                return before == req.level() ? null : HealthData.levelChange(h.get(h.size() - 1), hr);
            });
            if (change == null) {
                ctx.status(200).json(Map.of("level", req.level(), "changed", false));
            } else {
                ctx.status(201).json(change);
            }
        });
    }

    /**
     * Submits a command that may set off the plan's triggers; answers its result under {@code key}, with the level
     * change ({@code levelChange}, as {@code hr} or another role may see it) or the recommendation
     * ({@code recommendation}) it caused, or nulls.
     */
    static Map<String, Object> withTriggers(org.phare.core.control.Controller c, String key, Command command, boolean hr) {
        int changes = c.state().levelHistory().size();
        int recommended = c.state().recommendations().size();
        Object result = ApiServer.ok(c.submit(command));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(key, result);
        List<ContinuityRecord.LevelChanged> h = c.state().levelHistory();
        out.put("levelChange", h.size() > changes ? HealthData.levelChange(h.get(h.size() - 1), hr) : null);
        List<ContinuityRecord.LevelRecommended> rec = c.state().recommendations();
        out.put("recommendation", rec.size() > recommended ? rec.get(rec.size() - 1) : null);
        return out;
    }

    private static Map<String, Object> summary(ContinuityRecord.LevelChanged c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", c.from());
        m.put("to", c.to());
        m.put("atMs", c.atMs());
        m.put("by", c.by());
        m.put("reason", c.reason());
        m.put("trigger", c.trigger());
        return m;
    }
}
