package org.phare.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.phare.api.SigV4;
import org.phare.core.model.Account;
import org.phare.core.model.TenantId;

/**
 * The channel between the members of one control plane: a member that received a request it cannot serve (a write,
 * on a follower) forwards it to the leader with the identity it verified, and the leader believes that identity
 * because the forwarding is signed by a member.
 *
 * <p>The client's Signature V4 is verified once, by the member that received the request; it could not be verified
 * again anyway (it covers the {@code Host} the client addressed). The forwarded request carries instead the
 * principal (account, role, access key id), the forwarding member, a timestamp and a random nonce, in
 * {@code Phare-Forwarded-*} headers, and an HMAC-SHA256 over those and over the method, raw path, raw query and a
 * hash of the body, under a key derived from the group's master key ({@link SecretSealer#derive}): the file every
 * member already shares, so nothing new to distribute, and no client's secret travels.
 *
 * <p>The receiver accepts the identity only with a valid MAC, a timestamp within {@link #MAX_SKEW} of its own clock,
 * and a MAC it has not accepted before (a replay cache of at most {@link #MAX_REMEMBERED} entries; when it is full the
 * oldest are forgotten and every request not newer than the newest forgotten is refused, so that the cache stays
 * bounded without letting a forgotten request in again). A request from outside carrying any such header without a
 * valid MAC is refused, 403 {@value #REFUSED}. Thread-safe.
 */
public final class MemberChannel {
    /** The stable code of a refused forwarding. */
    public static final String REFUSED = "ForwardRefused";
    public static final String PREFIX = "Phare-Forwarded-";
    public static final String BY = PREFIX + "By";
    public static final String ACCOUNT = PREFIX + "Account";
    public static final String ROLE = PREFIX + "Role";
    public static final String KEY = PREFIX + "Key";
    public static final String AT = PREFIX + "At";
    public static final String NONCE = PREFIX + "Nonce";
    public static final String MAC = PREFIX + "Mac";
    private static final List<String> ALL = List.of(BY, ACCOUNT, ROLE, KEY, AT, NONCE, MAC);
    /** How far a forwarding's timestamp may be from the receiver's clock. */
    public static final Duration MAX_SKEW = Duration.ofSeconds(60);
    /** MACs remembered against replays. */
    static final int MAX_REMEMBERED = 100_000;
    static final String LABEL = "phare member channel v1";

    private final SecretKeySpec key;
    private final String self;
    private final Supplier<Instant> clock;
    private final RandomGenerator random;
    /** Accepted MACs, oldest first, with their timestamps (epoch ms); guarded by this. */
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();
    /** Nothing at or before this timestamp is accepted any more: the newest of the forgotten MACs. */
    private long floorMs = Long.MIN_VALUE;
    private final int maxRemembered;

    MemberChannel(byte[] key, String self, Supplier<Instant> clock, RandomGenerator random, int maxRemembered) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a member channel key is at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.self = self;
        this.clock = clock;
        this.random = random;
        this.maxRemembered = maxRemembered;
    }

    /** The channel of the member {@code self}, under the key derived from the group's master key. */
    public static MemberChannel of(SecretSealer sealer, String self, Supplier<Instant> clock) {
        return new MemberChannel(sealer.derive(LABEL), self, clock, new java.security.SecureRandom(), MAX_REMEMBERED);
    }

    /** Whether the request carries any forwarding header (then it must be a valid forwarding, or be refused). */
    public static boolean carries(SigV4.Request request) {
        return request.headers().stream().anyMatch(h -> h.getKey().regionMatches(true, 0, PREFIX, 0, PREFIX.length()));
    }

    /** The headers that forward {@code request} as {@code p}: add them, and no other identity, to the forwarded copy. */
    public Map<String, String> headers(Authenticator.Principal p, String method, String rawPath, String rawQuery, byte[] body) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        Map<String, String> h = new LinkedHashMap<>();
        h.put(BY, self);
        h.put(ACCOUNT, p.account().value());
        h.put(ROLE, p.role().name());
        h.put(KEY, p.accessKeyId());
        h.put(AT, Long.toString(clock.get().toEpochMilli()));
        h.put(NONCE, HexFormat.of().formatHex(nonce));
        h.put(MAC, mac(h, method, rawPath, rawQuery, body));
        return h;
    }

    /**
     * The principal a member forwarded {@code request} for.
     *
     * @throws Authenticator.Refused ({@value #REFUSED}, 403) if a header is missing or repeated, the MAC does not
     *                               match, the timestamp is too far from this member's clock, or the MAC was seen before
     */
    public Authenticator.Principal verify(SigV4.Request request) {
        Map<String, String> h = new LinkedHashMap<>();
        for (String name : ALL) {
            List<String> values = request.header(name);
            if (values.size() != 1) {
                throw refused("a forwarded request needs exactly one " + name + " header (these headers are for the members"
                        + " of the control plane only)");
            }
            h.put(name, values.get(0));
        }
        String expected = mac(h, request.method(), request.rawPath(), request.rawQuery(), request.body());
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), h.get(MAC).getBytes(StandardCharsets.UTF_8))) {
            throw refused("the forwarding signature does not match: only a member of this control plane may forward requests");
        }
        long at;
        try {
            at = Long.parseLong(h.get(AT));
        } catch (NumberFormatException e) {
            throw refused("invalid " + AT);
        }
        long now = clock.get().toEpochMilli();
        if (Math.abs(now - at) > MAX_SKEW.toMillis()) {
            throw refused("the forwarding is " + Math.abs(now - at) / 1000 + " s away from this member's clock (at most "
                    + MAX_SKEW.toSeconds() + " s): a replay, or the members' clocks disagree");
        }
        Account.Role role;
        TenantId account;
        try {
            role = Account.Role.valueOf(h.get(ROLE).toUpperCase(Locale.ROOT));
            account = new TenantId(h.get(ACCOUNT));
        } catch (IllegalArgumentException e) {
            throw refused("invalid forwarded identity: " + e.getMessage());
        }
        remember(h.get(MAC), at);
        return new Authenticator.Principal(account, role, h.get(KEY));
    }

    private synchronized void remember(String mac, long at) {
        if (at <= floorMs || seen.containsKey(mac)) {
            throw refused("this forwarding was already served (a replay)");
        }
        seen.put(mac, at);
        // Forget the oldest beyond the bound, or once they are too old to pass the clock check anyway.
        long tooOld = clock.get().toEpochMilli() - MAX_SKEW.toMillis();
        var it = seen.entrySet().iterator();
        while (it.hasNext()) {
            var oldest = it.next();
            if (seen.size() <= maxRemembered && oldest.getValue() >= tooOld) {
                break;
            }
            floorMs = Math.max(floorMs, oldest.getValue());
            it.remove();
        }
    }

    /** MACs remembered now (for tests). */
    synchronized int remembered() {
        return seen.size();
    }

    private String mac(Map<String, String> h, String method, String rawPath, String rawQuery, byte[] body) {
        try {
            String bodyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
            String canonical = String.join("\n", "PHARE-FORWARD-V1", h.get(BY), h.get(AT), h.get(NONCE), h.get(ACCOUNT),
                    h.get(ROLE), h.get(KEY), method, rawPath == null || rawPath.isEmpty() ? "/" : rawPath,
                    rawQuery == null ? "" : rawQuery, bodyHash);
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return HexFormat.of().formatHex(m.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 and SHA-256 are part of every JDK", e);
        }
    }

    private static Authenticator.Refused refused(String message) {
        return new Authenticator.Refused(REFUSED, message);
    }
}
