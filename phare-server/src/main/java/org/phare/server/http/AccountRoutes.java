package org.phare.server.http;

import io.javalin.config.RoutesConfig;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.phare.core.control.Command;
import org.phare.core.model.AccessKey;
import org.phare.core.model.Account;
import org.phare.core.model.TenantId;
import org.phare.server.auth.SecretSealer;
import org.phare.server.runtime.ControlLoop;

/**
 * {@code /v1/accounts} and {@code /v1/keys}: tenants and operators, and their access keys. The server draws each
 * key's id and secret (the core has no randomness), seals the secret ({@link SecretSealer}) before it enters the
 * log, and shows the secret once, in the answer to its creation; listings never carry it, sealed or not.
 */
final class AccountRoutes {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private AccountRoutes() {
    }

    record AccountRequest(String name, String role) {}

    static void register(RoutesConfig r, ControlLoop loop, SecretSealer sealer, SecureRandom random) {
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
                throw new ApiError(400, "InvalidParameterValue", "role must be tenant, operator or agent, got '" + req.role() + "'");
            }
            TenantId name = tenant(req.name());
            Object created = ApiServer.ok(loop.leader(c -> c.submit(new Command.CreateAccount(name, role))));
            ctx.status(201).json(view((Account) created));
        });
        r.post("/v1/accounts/{name}/keys", ctx -> {
            TenantId account = tenant(ctx.pathParam("name"));
            String id = draw(random, ALPHABET, "PHK", 17);
            String secret = draw(random, SECRET_ALPHABET, "", 40);
            String sealed = sealer.seal(id, secret);
            AccessKey key = (AccessKey) ApiServer.ok(loop.leader(c -> c.submit(new Command.CreateAccessKey(account, id, sealed))));
            Map<String, Object> out = new LinkedHashMap<>(view(key));
            out.put("secretAccessKey", secret); // shown this once
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

    private static String draw(SecureRandom random, String alphabet, String prefix, int n) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
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
