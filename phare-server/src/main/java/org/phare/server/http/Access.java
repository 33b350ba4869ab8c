package org.phare.server.http;

import io.javalin.http.Context;
import java.util.Set;
import org.phare.core.model.Account;
import org.phare.server.auth.Authenticator;
import org.phare.server.auth.Compute;

/**
 * Which role may call which route. Agents: the agent protocol only. Tenants: their instances, and the catalogue
 * (regions, zones, instance types, images) read-only — the rule of {@link Compute}, which the EC2 API follows too.
 * The crisis cell: the continuity plan; HR and auditors: the plan, read-only. Operators: everything.
 */
final class Access {
    static final String PRINCIPAL = "phare.principal";
    /** Read by anyone unsigned: probes, metrics, the API's description, and the EC2 endpoint (which checks its own). */
    private static final Set<String> OPEN = Set.of("/healthz", "/readyz", "/metrics", "/v1/openapi.json", "/");
    private static final Set<String> CATALOGUE = Set.of("/v1/regions", "/v1/zones", "/v1/instance-types", "/v1/images");

    private Access() {
    }

    static boolean open(String path) {
        return OPEN.contains(path);
    }

    /** @throws ApiError 403 {@code UnauthorizedOperation} when the role may not call the route */
    static void check(Authenticator.Principal p, String method, String path) {
        boolean agentRoute = path.startsWith("/agent/");
        boolean planRoute = path.equals("/v1/plan") || path.startsWith("/v1/plan/") || path.equals("/v1/level");
        boolean staffRoute = path.equals("/v1/staff") || path.startsWith("/v1/staff/");
        // The crisis cell's own routes: meetings, minutes, actions, the situation report, transport.
        boolean crisisRoute = path.startsWith("/v1/crisis/") || path.equals("/v1/transport") || path.equals("/v1/events");
        // Drills: the operator runs them; the crisis cell and auditors read their status and reports.
        boolean drillRoute = path.equals("/v1/drills") || path.startsWith("/v1/drills/");
        boolean read = "GET".equals(method);
        Compute compute = compute(method, path);
        boolean allowed = compute != null ? compute.allows(p.role()) : switch (p.role()) {
            case OPERATOR -> true;
            case AGENT -> agentRoute;
            case TENANT -> false;
            // The crisis cell changes the plan and statuses; HR owns the roster; auditors read.
            case CRISIS -> planRoute || crisisRoute || path.equals("/v1/coverage") || (staffRoute && (read || path.endsWith("/status")))
                    || (drillRoute && (read || path.endsWith("/findings")));
            case HR -> ((planRoute || crisisRoute) && read) || staffRoute || path.equals("/v1/coverage");
            case AUDITOR -> read && (planRoute || crisisRoute || staffRoute || drillRoute || path.equals("/v1/coverage"));
        };
        if (!allowed) {
            throw new ApiError(403, "UnauthorizedOperation", "account " + p.account() + " (" + role(p.role())
                    + ") is not authorized to " + method + " " + path);
        }
    }

    /** What a route does with instances or the catalogue, or null for any other route. */
    private static Compute compute(String method, String path) {
        boolean read = "GET".equals(method);
        if (path.equals("/v1/instances") || path.startsWith("/v1/instances/")) {
            return read ? Compute.READ_INSTANCES : Compute.CHANGE_INSTANCES;
        }
        if (CATALOGUE.contains(path)) {
            return read ? Compute.READ_CATALOGUE : Compute.DEFINE_CATALOGUE;
        }
        return null;
    }

    static Authenticator.Principal principal(Context ctx) {
        Authenticator.Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw new IllegalStateException("no principal for " + ctx.path());
        }
        return p;
    }

    private static String role(Account.Role role) {
        return role.name().toLowerCase(java.util.Locale.ROOT);
    }
}
