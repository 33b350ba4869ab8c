package org.phare.core.state;

/** A raised alarm, e.g. {@code ControlPlaneIsolated}. */
public record Alarm(String code, String detail, long sinceMs) {}
