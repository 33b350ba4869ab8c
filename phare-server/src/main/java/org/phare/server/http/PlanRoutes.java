package org.phare.server.http;

import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phare.api.PlanYaml;
import org.phare.core.continuity.Plan;
import org.phare.core.control.Command;
import org.phare.server.runtime.ControlLoop;

/**
 * {@code /v1/plan}: the continuity plan in force ({@code GET}), a new version from its YAML file ({@code PUT},
 * {@code ?note=why}), and the versions applied so far ({@code GET /v1/plan/history}). Every version is a record,
 * with who applied it, when and why.
 */
final class PlanRoutes {
    private PlanRoutes() {
    }

    static void register(RoutesConfig r, ControlLoop loop) {
        r.get("/v1/plan", ctx -> {
            record Current(int version, Plan plan) {}
            Current c = loop.call(v -> new Current(v.state().planVersion(), v.state().plan()));
            if (c.plan() == null) {
                throw new ApiError(404, "NotFound", "no continuity plan has been applied yet (phare plan init, then phare plan apply)");
            }
            ctx.json(c);
        });
        r.put("/v1/plan", ctx -> {
            Plan plan;
            try {
                plan = PlanYaml.parse(ctx.body());
            } catch (PlanYaml.Invalid e) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("code", "InvalidPlan");
                error.put("message", e.getMessage());
                error.put("problems", e.problems());
                ctx.status(400).json(Map.of("error", error));
                return;
            }
            String by = Access.principal(ctx).account().value();
            String note = ctx.queryParam("note");
            // Before and after in the same loop turn as the write.
            int[] versions = loop.leader(c -> {
                int before = c.state().planVersion();
                return new int[] {before, (Integer) ApiServer.ok(c.submit(new Command.ApplyPlan(plan, by, note)))};
            });
            boolean changed = versions[1] > versions[0];
            ctx.status(changed ? 201 : 200).json(Map.of("version", versions[1], "changed", changed));
        });
        r.get("/v1/plan/history", ctx -> ctx.json(loop.call(v -> List.copyOf(v.state().planHistory()))));
    }
}
