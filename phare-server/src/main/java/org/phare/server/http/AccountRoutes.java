package org.phare.server.http;

import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.phare.core.control.Command;
import org.phare.core.model.AccessKey;
import org.phare.core.model.Account;
import org.phare.core.model.TenantId;
import org.phare.server.auth.KeyIssuer;
import org.phare.server.runtime.ControlLoop;

/**
 * {@code /v1/accounts} and {@code /v1/keys}: tenants and operators, and their access keys. The server draws each
 * key's id and secret (the core has no randomness), seals the secret ({@link SecretSealer}) before it enters the
 * log, and shows the secret once, in the answer to its creation; listings never carry it, sealed or not.
 */
final class AccountRoutes {

    private AccountRoutes() {
    }

    record AccountRequest(String name, String role) {}

    static void register(RoutesConfig r, ControlLoop loop, KeyIssuer issuer) {
        r.get("/v1/accounts", ctx -> ctx.json(loop.call(v -> v.state().accounts().values().stream().map(AccountRoutes::view).toList())));
        r.post("/v1/accounts", ctx -> {
            AccountRequest req = ApiServer.body(ctx, AccountRequest.class);
            if (req.name() == null || req.name().isBlank()) {
                throw new ApiError(400, "MissingParameter", "name is required");
            }
            Account.Role role;
            try {
                role = req.role() == null ? Account.Role.TENANT : Account.Role.valueOf(req.role().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "InvalidParameterValue", "role must be tenant, operator, agent, crisis, hr or auditor, got '" + req.role() + "'");
            }
            TenantId name = tenant(req.name());
            Object created = ApiServer.ok(loop.leader(c -> c.submit(new Command.CreateAccount(name, role))));
            ctx.status(201).json(view((Account) created));
        });
        r.post("/v1/accounts/{name}/keys", ctx -> {
            TenantId account = tenant(ctx.pathParam("name"));
            KeyIssuer.Issued issued = issuer.issue(account);
            AccessKey key = (AccessKey) ApiServer.ok(loop.leader(c -> c.submit(issued.command())));
            Map<String, Object> out = new LinkedHashMap<>(view(key));
            out.put("secretAccessKey", issued.secret()); // shown this once
            ctx.status(201).json(out);
        });
        r.get("/v1/keys", ctx -> {
            String account = ctx.queryParam("account");
            ctx.json(loop.call(v -> v.state().accessKeys().values().stream()
                    .filter(k -> account == null || k.account().value().equals(account)).map(AccountRoutes::view).toList()));
        });
        r.delete("/v1/keys/{id}", ctx -> {
            String id = ctx.pathParam("id");
            ApiServer.ok(loop.leader(c -> c.submit(new Command.RevokeAccessKey(id))));
            ctx.json(loop.call(v -> view(v.state().accessKeys().get(id))));
        });
    }

    private static TenantId tenant(String name) {
        if (!Account.validName(name)) {
            throw new ApiError(400, "InvalidParameterValue", "an account name is 1 to 63 lower-case letters, digits or '-',"
                    + " starting with a letter or digit; got '" + name + "'");
        }
        return new TenantId(name);
    }

    private static Map<String, Object> view(Account a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name().value());
        m.put("role", a.role().name().toLowerCase(Locale.ROOT));
        m.put("createdAt", a.createdAtMs());
        return m;
    }

    /** Never the secret, sealed or not. */
    private static Map<String, Object> view(AccessKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accessKeyId", k.id());
        m.put("account", k.account().value());
        m.put("state", k.active() ? "active" : "revoked");
        m.put("createdAt", k.createdAtMs());
        m.put("revokedAt", k.active() ? null : k.revokedAtMs());
        return m;
    }
}
