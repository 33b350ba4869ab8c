package org.phare.core.model;

/** Typed id of a zone. */
public record ZoneId(String value) implements Comparable<ZoneId> {
    public ZoneId {
        Ids.require(value, "zone id");
    }

    public static ZoneId of(String value) {
        return new ZoneId(value);
    }

    @Override
    public int compareTo(ZoneId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
