package org.phare.core.model;

/**
 * Operator intent for a host. {@code CORDONED}: keep what runs, place nothing new.
 * {@code DRAINING}: place nothing new and move every instance away, each only after the agent confirms it stopped.
 */
public enum Schedulability {
    SCHEDULABLE, CORDONED, DRAINING
}
