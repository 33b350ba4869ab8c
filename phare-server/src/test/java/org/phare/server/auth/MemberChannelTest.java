package org.phare.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.api.SigV4;
import org.phare.core.model.Account;
import org.phare.core.model.TenantId;

@DisplayName("MemberChannel: only a member of the group may forward a request with an identity")
class MemberChannelTest {
    private static final byte[] MASTER = new byte[32];
    private static final byte[] OTHER_MASTER = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            MASTER[i] = (byte) i;
            OTHER_MASTER[i] = (byte) (100 + i);
        }
    }

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    private final Authenticator.Principal tenant = new Authenticator.Principal(new TenantId("acme"), Account.Role.TENANT, "PHKACME");
    private final byte[] body = "Action=RunInstances&Version=2016-11-15".getBytes(StandardCharsets.UTF_8);

    private MemberChannel channel(byte[] master, String self, int maxRemembered) {
        return new MemberChannel(SecretSealer.of(master, new SecureRandom()).derive(MemberChannel.LABEL), self, now::get,
                new SecureRandom(), maxRemembered);
    }

    /** The request as the leader reads it: the forwarding headers plus whatever else was sent. */
    private static SigV4.Request request(Map<String, String> forwarding, String method, String path, String query, byte[] body,
                                         Map<String, String> extra) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(forwarding.entrySet());
        headers.addAll(extra.entrySet());
        headers.add(Map.entry("Content-Type", "application/x-www-form-urlencoded"));
        return new SigV4.Request(method, path, query, headers, body);
    }

    @Test
    @DisplayName("a forwarding signed by a member of the group gives the leader the principal the member verified")
    void aMembersForwardingIsBelieved() {
        MemberChannel follower = channel(MASTER, "mb", 100);
        MemberChannel leader = channel(MASTER, "ma", 100);
        Map<String, String> h = follower.headers(tenant, "POST", "/", "", body);
        SigV4.Request r = request(h, "POST", "/", "", body, Map.of());
        assertThat(MemberChannel.carries(r)).isTrue();
        assertThat(leader.verify(r)).isEqualTo(tenant);
        assertThat(MemberChannel.carries(new SigV4.Request("POST", "/", "", List.of(Map.entry("Authorization", "x")), body)))
                .as("a client's own request carries none").isFalse();
    }

    @Test
    @DisplayName("forged or altered forwardings are refused with ForwardRefused (403): a role raised, a body or path changed,"
            + " a MAC made with another group's key, a header missing")
    void forgeriesAreRefused() {
        MemberChannel follower = channel(MASTER, "mb", 100);
        MemberChannel leader = channel(MASTER, "ma", 100);
        Map<String, String> genuine = follower.headers(tenant, "POST", "/v1/images", "", body);

        Map<String, String> raised = new java.util.LinkedHashMap<>(genuine);
        raised.put(MemberChannel.ROLE, "OPERATOR");
        refused(leader, request(raised, "POST", "/v1/images", "", body, Map.of()), "does not match");

        Map<String, String> otherAccount = new java.util.LinkedHashMap<>(genuine);
        otherAccount.put(MemberChannel.ACCOUNT, "globex");
        refused(leader, request(otherAccount, "POST", "/v1/images", "", body, Map.of()), "does not match");

        refused(leader, request(genuine, "POST", "/v1/images", "", "other body".getBytes(StandardCharsets.UTF_8), Map.of()),
                "does not match");
        refused(leader, request(genuine, "POST", "/v1/hosts/h-1/drain", "", body, Map.of()), "does not match");
        refused(leader, request(genuine, "POST", "/v1/images", "x=1", body, Map.of()), "does not match");
        refused(leader, request(genuine, "DELETE", "/v1/images", "", body, Map.of()), "does not match");

        Map<String, String> foreign = channel(OTHER_MASTER, "mb", 100).headers(tenant, "POST", "/v1/images", "", body);
        refused(leader, request(foreign, "POST", "/v1/images", "", body, Map.of()), "does not match");

        Map<String, String> noMac = new java.util.LinkedHashMap<>(genuine);
        noMac.remove(MemberChannel.MAC);
        refused(leader, request(noMac, "POST", "/v1/images", "", body, Map.of()), "exactly one");

        Map<String, String> onlyRole = Map.of(MemberChannel.ROLE, "OPERATOR");
        refused(leader, request(onlyRole, "POST", "/v1/images", "", body, Map.of()), "exactly one");

        // The genuine one still passes: none of the forgeries was remembered in its place.
        assertThat(leader.verify(request(genuine, "POST", "/v1/images", "", body, Map.of()))).isEqualTo(tenant);
    }

    @Test
    @DisplayName("a forwarding is served once: the same headers again are a replay, refused")
    void aReplayIsRefused() {
        MemberChannel follower = channel(MASTER, "mb", 100);
        MemberChannel leader = channel(MASTER, "ma", 100);
        SigV4.Request r = request(follower.headers(tenant, "POST", "/", "", body), "POST", "/", "", body, Map.of());
        assertThat(leader.verify(r)).isEqualTo(tenant);
        refused(leader, r, "replay");
        // The same request forwarded again (a client's retry) is a new forwarding, with its own nonce.
        assertThat(leader.verify(request(follower.headers(tenant, "POST", "/", "", body), "POST", "/", "", body, Map.of())))
                .isEqualTo(tenant);
    }

    @Test
    @DisplayName("a forwarding more than 60 s away from the leader's clock is refused, either way")
    void staleForwardingsAreRefused() {
        MemberChannel follower = channel(MASTER, "mb", 100);
        MemberChannel leader = channel(MASTER, "ma", 100);
        SigV4.Request old = request(follower.headers(tenant, "POST", "/", "", body), "POST", "/", "", body, Map.of());
        now.set(now.get().plusSeconds(61));
        refused(leader, old, "away from this member's clock");
        SigV4.Request fromTheFuture = request(follower.headers(tenant, "POST", "/", "", body), "POST", "/", "", body, Map.of());
        now.set(now.get().minusSeconds(62));
        refused(leader, fromTheFuture, "away from this member's clock");
    }

    @Test
    @DisplayName("the replay cache stays bounded: past its size the oldest are forgotten, and a forgotten one is still refused")
    void theReplayCacheIsBounded() {
        MemberChannel follower = channel(MASTER, "mb", 3);
        MemberChannel leader = channel(MASTER, "ma", 3);
        List<SigV4.Request> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(request(follower.headers(tenant, "POST", "/", "", body), "POST", "/", "", body, Map.of()));
            now.set(now.get().plusMillis(10));
        }
        sent.forEach(r -> assertThat(leader.verify(r)).isEqualTo(tenant));
        assertThat(leader.remembered()).isEqualTo(3);
        for (SigV4.Request r : sent) {
            refused(leader, r, "replay");
        }
        // Past the clock window they are forgotten altogether, and refused by the clock check instead.
        now.set(now.get().plusSeconds(120));
        assertThat(leader.verify(request(follower.headers(tenant, "POST", "/", "", body), "POST", "/", "", body, Map.of())))
                .isEqualTo(tenant);
        assertThat(leader.remembered()).isEqualTo(1);
        refused(leader, sent.get(4), "away from this member's clock");
    }

    private static void refused(MemberChannel leader, SigV4.Request r, String why) {
        assertThatThrownBy(() -> leader.verify(r)).isInstanceOfSatisfying(Authenticator.Refused.class, e -> {
            assertThat(e.code()).isEqualTo(MemberChannel.REFUSED);
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).contains(why);
        });
    }
}
