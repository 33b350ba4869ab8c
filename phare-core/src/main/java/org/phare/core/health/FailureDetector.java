package org.phare.core.health;

import java.util.HashMap;
import java.util.Map;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;

/**
 * Per-host deadlines, in memory only (never in records: heartbeats stay off the log), on the controller's
 * own monotonic clock — never on a timestamp sent by the observed host.
 *
 * <p>A new detector (controller start or leader change) counts every host as heard at its start: the previous
 * controller may have renewed a lease just before it stopped, so silence, and the fencing deadline with it,
 * must be counted from now. During {@link HealthConfig#startupGrace()} it judges nobody, so that agents have
 * time to reconnect; a host that does not is dead {@code max(startupGrace, deadAfter)} after the start.
 */
public final class FailureDetector {
    private final HealthConfig config;
    private long heardFloorNanos;
    private long graceUntilNanos;
    private final Map<HostId, Long> lastHeardNanos = new HashMap<>();

    public FailureDetector(HealthConfig config, long startNanos) {
        this.config = config;
        this.heardFloorNanos = startNanos;
        this.graceUntilNanos = startNanos + config.startupGrace().toNanos();
    }

    public HealthConfig config() {
        return config;
    }

    /**
     * Starts over as at a controller start. Used when a storm ends: hosts come back one by one, and those not
     * yet heard from must not be judged on a silence that was the controller's own isolation.
     */
    public void grantGrace(long nowNanos) {
        heardFloorNanos = Math.max(heardFloorNanos, nowNanos);
        graceUntilNanos = Math.max(graceUntilNanos, nowNanos + config.startupGrace().toNanos());
    }

    public void heard(HostId host, long nowNanos) {
        lastHeardNanos.put(host, nowNanos);
    }

    public void forget(HostId host) {
        lastHeardNanos.remove(host);
    }

    /** How long the host has been silent on our clock, never counting from before our start (or last grace). */
    public long silenceNanos(HostId host, long nowNanos) {
        long last = Math.max(lastHeardNanos.getOrDefault(host, heardFloorNanos), heardFloorNanos);
        return Math.max(0, nowNanos - last);
    }

    /** True while the startup (or post-storm) grace runs: nobody is judged. */
    public boolean inGrace(long nowNanos) {
        return nowNanos < graceUntilNanos;
    }

    /** The state the host deserves now; {@code DEAD} is only proposed, the caller may hold it back (storms). */
    public HostState judge(HostId host, long nowNanos) {
        if (inGrace(nowNanos)) {
            return HostState.READY;
        }
        long silence = silenceNanos(host, nowNanos);
        if (silence >= config.deadAfter().toNanos()) {
            return HostState.DEAD;
        }
        if (silence >= config.suspectAfter().toNanos()) {
            return HostState.SUSPECT;
        }
        return HostState.READY;
    }

    /** True once the host's agent has certainly fenced itself: its lease expired and the margin passed. */
    public boolean fenced(HostId host, long nowNanos) {
        return silenceNanos(host, nowNanos) >= config.fenceAfter().plus(config.fenceMargin()).toNanos();
    }
}
