package org.phare.core.model;

/** Typed id of a instance. */
public record InstanceId(String value) implements Comparable<InstanceId> {
    public InstanceId {
        Ids.require(value, "instance id");
    }

    public static InstanceId of(String value) {
        return new InstanceId(value);
    }

    @Override
    public int compareTo(InstanceId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
