package org.phare.core.model;

/** Typed id of a instance type. */
public record InstanceTypeId(String value) implements Comparable<InstanceTypeId> {
    public InstanceTypeId {
        Ids.require(value, "instance type id");
    }

    public static InstanceTypeId of(String value) {
        return new InstanceTypeId(value);
    }

    @Override
    public int compareTo(InstanceTypeId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
