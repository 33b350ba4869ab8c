package org.phare.core.model;

/** What the tenant asked for. */
public enum DesiredState {
    RUNNING, STOPPED, TERMINATED
}
