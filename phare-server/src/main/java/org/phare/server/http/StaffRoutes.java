package org.phare.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.phare.api.RosterCsv;
import org.phare.core.continuity.Coverage;
import org.phare.core.continuity.Person;
import org.phare.core.continuity.Plan;
import org.phare.core.control.Command;
import org.phare.server.runtime.ControlLoop;

/**
 * {@code /v1/staff} (the roster: import from CSV, list, set a person's status) and {@code /v1/coverage} (what the
 * plan's critical functions have, at a level and under a scenario). The at-risk flag is health data: it, and from
 * which level the plan wants a person remote, leave the server for the {@code hr} role only ({@link HealthData}).
 */
final class StaffRoutes {
    private StaffRoutes() {
    }

    record StatusRequest(String status) {}

    static void register(RoutesConfig r, ControlLoop loop) {
        r.post("/v1/staff", ctx -> {
            // The roster is checked against the leader's plan: a follower's state may not hold a plan applied a
            // moment ago yet, and a follower forwards the request instead (NotLeader).
            Plan plan = loop.leader(c -> c.state().plan());
            if (plan == null) {
                throw new ApiError(409, "NoPlan", "apply a continuity plan first (phare plan apply): the roster names its roles and sites");
            }
            RosterCsv.Result parsed;
            try {
                parsed = RosterCsv.parse(ctx.body(), plan);
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "InvalidRoster", e.getMessage());
            }
            if (parsed.people().isEmpty()) {
                throw new ApiError(400, "InvalidRoster", "no line of the roster was taken; the roster in force is unchanged: "
                        + String.join("; ", parsed.rejected().stream().limit(10).map(x -> "line " + x.line() + ": " + x.reason()).toList()));
            }
            String by = Access.principal(ctx).account().value();
            ApiServer.ok(loop.leader(c -> c.submit(new Command.ImportRoster(parsed.people(), by))));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("imported", parsed.people().size());
            out.put("rejected", parsed.rejected());
            ctx.status(201).json(out);
        });
        r.get("/v1/staff", ctx -> {
            boolean hr = HealthData.readable(Access.principal(ctx));
            ctx.json(loop.call(v -> {
                List<Map<String, Object>> out = new ArrayList<>();
                for (Person p : v.state().staff().values()) {
                    out.add(HealthData.person(p, v.state().plan(), hr));
                }
                return out;
            }));
        });
        r.post("/v1/staff/{id}/status", ctx -> {
            StatusRequest req = ApiServer.body(ctx, StatusRequest.class);
            String id = ctx.pathParam("id");
            String by = Access.principal(ctx).account().value();
            boolean hr = HealthData.readable(Access.principal(ctx));
            ctx.json(loop.leader(c -> {
                ApiServer.ok(c.submit(new Command.SetStaffStatus(id, req.status(), by)));
                return HealthData.person(c.state().staff().get(id), c.state().plan(), hr);
            }));
        });
        r.get("/v1/coverage", ctx -> {
            record Inputs(Plan plan, List<Person> staff, Set<String> closed, Set<String> noTransportIn, int level) {}
            Inputs in = loop.call(v -> new Inputs(v.state().plan(), List.copyOf(v.state().staff().values()),
                    Set.copyOf(v.state().closedSites().keySet()), Set.copyOf(v.state().crisis().transportLost().keySet()),
                    v.state().level()));
            if (in.plan() == null) {
                throw new ApiError(409, "NoPlan", "no continuity plan has been applied yet (phare plan apply)");
            }
            int level = intParam(ctx, "level", in.level());
            Coverage.Scenario asked = scenario(ctx);
            // Sites closed by an order, and areas without transport, are so in every scenario.
            Set<String> closed = new LinkedHashSet<>(in.closed());
            closed.addAll(asked.closedSites());
            Coverage.Scenario scenario = new Coverage.Scenario(asked.absentPercent(), asked.seed(), closed, asked.noTransport(),
                    in.noTransportIn());
            try {
                ctx.json(Coverage.compute(in.plan(), in.staff(), level, scenario));
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "InvalidParameterValue", e.getMessage());
            }
        });
    }

    private static Coverage.Scenario scenario(Context ctx) {
        String absent = ctx.queryParam("absent");
        double share = 0;
        if (absent != null) {
            try {
                share = Double.parseDouble(absent.endsWith("%") ? absent.substring(0, absent.length() - 1) : absent);
            } catch (NumberFormatException e) {
                share = -1;
            }
            if (share < 0 || share > 100) {
                throw new ApiError(400, "InvalidParameterValue", "absent is a share between 0 and 100 (e.g. 30 or 30%), got '" + absent + "'");
            }
        }
        long seed = intParam(ctx, "seed", 1);
        Set<String> closed = new LinkedHashSet<>(ctx.queryParams("closeSite"));
        boolean noTransport = "true".equalsIgnoreCase(ctx.queryParam("noTransport"));
        return new Coverage.Scenario(share, seed, closed, noTransport);
    }

    private static int intParam(Context ctx, String name, int otherwise) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ApiError(400, "InvalidParameterValue", name + " must be a whole number, got '" + v + "'");
        }
    }
}
