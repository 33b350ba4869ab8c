package org.phare.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Times in seconds for reading; the lease is 3 s (the default fenceAfter). */
@DisplayName("Lease: the agent's side of fencing")
class LeaseTest {

    private static final long LEASE = s(3);

    private static long s(double seconds) {
        return Math.round(seconds * 1e9);
    }

    @Test
    @DisplayName("a new agent has no lease and must run nothing")
    void newLeaseIsInvalid() {
        Lease lease = new Lease();

        assertThat(lease.granted()).isFalse();
        assertThat(lease.valid(0)).isFalse();
        assertThat(lease.valid(s(1000))).isFalse();
    }

    @Test
    @DisplayName("a renewal counts from when the heartbeat was sent, not from when the reply arrived")
    void renewCountsFromSendTime() {
        Lease lease = new Lease();

        boolean renewed = lease.renew(s(10), LEASE, s(11.5));

        assertThat(renewed).isTrue();
        assertThat(lease.expiresAtNanos()).isEqualTo(s(13));
        assertThat(lease.valid(s(12.999))).isTrue();
        assertThat(lease.valid(s(13))).as("not until 14.5 s, which counting from arrival would give").isFalse();
    }

    @Test
    @DisplayName("a reply that arrives after the lease it would grant has expired renews nothing")
    void lateReplyRenewsNothing() {
        Lease lease = new Lease();
        lease.renew(s(10), LEASE, s(10.1));

        boolean renewed = lease.renew(s(11), LEASE, s(14.2));

        assertThat(renewed).isFalse();
        assertThat(lease.expiresAtNanos()).as("unchanged").isEqualTo(s(13));
        assertThat(lease.valid(s(14.2))).isFalse();
    }

    @Test
    @DisplayName("a reply arriving exactly when its lease would end renews nothing")
    void replyAtTheDeadline() {
        Lease lease = new Lease();

        assertThat(lease.renew(s(10), LEASE, s(13))).isFalse();
        assertThat(lease.granted()).isFalse();
    }

    @Test
    @DisplayName("valid() is false once the lease has expired, and true again after a fresh renewal")
    void expiresThenRenews() {
        Lease lease = new Lease();
        lease.renew(s(10), LEASE, s(10.2));
        assertThat(lease.valid(s(12))).isTrue();
        assertThat(lease.valid(s(13.5))).isFalse();

        lease.renew(s(13.4), LEASE, s(13.6));

        assertThat(lease.valid(s(16))).isTrue();
        assertThat(lease.valid(s(16.4))).isFalse();
    }

    @Test
    @DisplayName("an older reply arriving late never shortens the lease a newer one granted")
    void olderReplyDoesNotShorten() {
        Lease lease = new Lease();
        lease.renew(s(12), LEASE, s(12.1));

        assertThat(lease.renew(s(11), LEASE, s(12.2))).isTrue();

        assertThat(lease.expiresAtNanos()).isEqualTo(s(15));
    }

    @Test
    @DisplayName("after revoke (the agent fenced itself) nothing runs until a fresh reply renews the lease")
    void revoke() {
        Lease lease = new Lease();
        lease.renew(s(10), LEASE, s(10.1));

        lease.revoke();

        assertThat(lease.valid(s(11))).isFalse();
        assertThat(lease.renew(s(11), LEASE, s(11.2))).isTrue();
        assertThat(lease.valid(s(11.3))).isTrue();
        assertThat(lease.expiresAtNanos()).isEqualTo(s(14));
    }
}
