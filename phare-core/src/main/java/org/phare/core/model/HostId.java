package org.phare.core.model;

/** Typed id of a host. */
public record HostId(String value) implements Comparable<HostId> {
    public HostId {
        Ids.require(value, "host id");
    }

    public static HostId of(String value) {
        return new HostId(value);
    }

    @Override
    public int compareTo(HostId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
