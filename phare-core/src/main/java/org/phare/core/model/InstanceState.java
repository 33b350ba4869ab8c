package org.phare.core.model;

import java.util.Locale;

/**
 * Lifecycle state of an instance as a user sees it (the EC2 names and codes).
 * {@code PENDING}: waiting for a host or for the agent to confirm it runs.
 */
public enum InstanceState {
    PENDING(0), RUNNING(16), SHUTTING_DOWN(32), TERMINATED(48), STOPPING(64), STOPPED(80);

    private final int ec2Code;

    InstanceState(int ec2Code) {
        this.ec2Code = ec2Code;
    }

    public int ec2Code() {
        return ec2Code;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
