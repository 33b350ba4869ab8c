package org.phare.core.model;

/**
 * Health of a host as judged by the controller on its own clock.
 * {@code READY -> SUSPECT -> DEAD}; any heartbeat brings a host back to {@code READY}.
 * Only {@code DEAD} hosts (whose self-fence deadline has passed) lose their instances.
 */
public enum HostState {
    READY, SUSPECT, DEAD;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
