package org.phare.core.agent;

/**
 * The agent's side of fencing. A lease is renewed by a reply, and counted from the moment the agent
 * <em>sent</em> the heartbeat that reply answers (never from when the reply arrived), so the agent's lease
 * always ends before the controller's deadline for the host. A reply that arrives after its lease already
 * ran out renews nothing. Pure: the caller passes its own monotonic time.
 */
public final class Lease {
    private long expiresAtNanos;
    private boolean granted;

    /** A new agent has no lease and runs nothing until the controller answers. */
    public Lease() {}

    /** Applies a reply to the heartbeat sent at {@code sentAtNanos}; returns false if it came too late. */
    public boolean renew(long sentAtNanos, long leaseNanos, long nowNanos) {
        long candidate = sentAtNanos + leaseNanos;
        if (candidate <= nowNanos) {
            return false;
        }
        if (!granted || candidate > expiresAtNanos) {
            expiresAtNanos = candidate;
        }
        granted = true;
        return true;
    }

    public boolean valid(long nowNanos) {
        return granted && nowNanos < expiresAtNanos;
    }

    /** When the agent must fence itself if nothing renews the lease; meaningful only while granted. */
    public long expiresAtNanos() {
        return expiresAtNanos;
    }

    public boolean granted() {
        return granted;
    }

    /** After fencing: nothing runs until a fresh reply arrives. */
    public void revoke() {
        granted = false;
    }
}
