package org.phare.core.model;

/** Typed id of a region. */
public record RegionId(String value) implements Comparable<RegionId> {
    public RegionId {
        Ids.require(value, "region id");
    }

    public static RegionId of(String value) {
        return new RegionId(value);
    }

    @Override
    public int compareTo(RegionId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
