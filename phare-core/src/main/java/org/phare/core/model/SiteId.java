package org.phare.core.model;

/** Typed id of a site. */
public record SiteId(String value) implements Comparable<SiteId> {
    public SiteId {
        Ids.require(value, "site id");
    }

    public static SiteId of(String value) {
        return new SiteId(value);
    }

    @Override
    public int compareTo(SiteId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
