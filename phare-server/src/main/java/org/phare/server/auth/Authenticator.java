package org.phare.server.auth;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phare.api.Credentials;
import org.phare.api.SigV4;
import org.phare.core.model.AccessKey;
import org.phare.core.model.Account;
import org.phare.core.model.TenantId;
import org.phare.server.runtime.ControlLoop;

/**
 * Who sent a request: verifies its Signature V4 against the access keys of the replicated state (revocation takes
 * effect with the record that says it, on every member) and answers the account behind the key.
 *
 * <p>One trip to the control loop per request reads the key, its account and the regions served; the secret is
 * unsealed outside the loop and kept unsealed in a bounded cache keyed by its sealed form.
 */
public final class Authenticator {
    /** Unsealed secrets kept; past this the cache is cleared (re-unsealing costs microseconds). */
    static final int MAX_CACHED_SECRETS = 10_000;
    private static final Pattern KEY_ID = Pattern.compile("Credential=([^/,\\s]+)/");

    /** The account a verified request acts for. */
    public record Principal(TenantId account, Account.Role role, String accessKeyId) {
        public boolean operator() {
            return role == Account.Role.OPERATOR;
        }

        /** Whose resources it sees: its own, or everyone's (null) for an operator. */
        public TenantId scope() {
            return operator() ? null : account;
        }

        /** Whether it may see a resource of {@code owner}. */
        public boolean sees(TenantId owner) {
            return operator() || account.equals(owner);
        }
    }

    /**
     * A refused request.
     *
     * @param code {@code AuthFailure}, {@code SignatureDoesNotMatch}, {@code RequestExpired}, or
     *             {@value MemberChannel#REFUSED} (a forwarding that no member signed)
     */
    public static final class Refused extends RuntimeException {
        private final String code;

        Refused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** The HTTP status EC2 answers with. */
        public int status() {
            return switch (code) {
                case "AuthFailure" -> 401;
                case "SignatureDoesNotMatch", MemberChannel.REFUSED -> 403;
                default -> 400;
            };
        }
    }

    private record Found(AccessKey key, Account account, Set<String> regions) {}

    private final ControlLoop loop;
    private final SecretSealer sealer;
    private final Supplier<Instant> clock;
    private final Map<String, String> unsealed = new ConcurrentHashMap<>();

    public Authenticator(ControlLoop loop, SecretSealer sealer, Supplier<Instant> clock) {
        this.loop = loop;
        this.sealer = sealer;
        this.clock = clock;
    }

    /**
     * @param service {@code ec2} (scope: a region the cloud defines) or {@link Credentials#SERVICE} (scope: the
     *                native API's {@link Credentials#REGION})
     * @throws Refused when the request is not signed by an active key of an existing account
     */
    public Principal authenticate(SigV4.Request request, String service) {
        String keyId = keyId(request);
        boolean ec2 = "ec2".equals(service);
        // The committed keys, published by the loop: no trip to it per request.
        ControlLoop.Identities ids = loop.identities();
        AccessKey k = keyId == null ? null : ids.keys().get(keyId);
        Account a = k == null || !k.active() ? null : ids.accounts().get(k.account());
        Found found = new Found(a == null ? null : k, a, ec2 ? ids.regions() : Set.of(Credentials.REGION));
        SigV4.Outcome outcome = SigV4.verify(request, id -> found.key() != null && found.key().id().equals(id)
                ? secret(found.key()) : null, clock.get(), found.regions(), service);
        return switch (outcome) {
            case SigV4.Outcome.Verified v -> new Principal(found.account().name(), found.account().role(), v.accessKeyId());
            case SigV4.Outcome.Refused r -> throw new Refused(r.code(), r.message());
        };
    }

    /**
     * The principal a member forwarded, checked against the keys this member has committed: a key revoked (or an
     * account's role changed) takes effect here even if the forwarding member had not applied it yet.
     *
     * @throws Refused {@code AuthFailure} if the key is not an active key of that account with that role
     */
    public Principal confirm(Principal forwarded) {
        ControlLoop.Identities ids = loop.identities();
        AccessKey k = ids.keys().get(forwarded.accessKeyId());
        Account a = k == null || !k.active() ? null : ids.accounts().get(k.account());
        if (a == null || !a.name().equals(forwarded.account()) || a.role() != forwarded.role()) {
            throw new Refused("AuthFailure", "the access key " + forwarded.accessKeyId() + " is not an active key of "
                    + forwarded.account() + " here");
        }
        return forwarded;
    }

    private String secret(AccessKey key) {
        String secret = unsealed.get(key.sealedSecret());
        if (secret == null) {
            secret = sealer.unseal(key.id(), key.sealedSecret());
            if (unsealed.size() >= MAX_CACHED_SECRETS) {
                unsealed.clear();
            }
            unsealed.put(key.sealedSecret(), secret);
        }
        return secret;
    }

    private static String keyId(SigV4.Request request) {
        var auth = request.header("authorization");
        if (auth.size() != 1) {
            return null;
        }
        Matcher m = KEY_ID.matcher(auth.get(0));
        return m.find() ? m.group(1) : null;
    }
}
