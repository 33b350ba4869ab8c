package org.phare.core.model;

/** Typed id of a placement group. */
public record GroupId(String value) implements Comparable<GroupId> {
    public GroupId {
        Ids.require(value, "placement group id");
    }

    public static GroupId of(String value) {
        return new GroupId(value);
    }

    @Override
    public int compareTo(GroupId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
