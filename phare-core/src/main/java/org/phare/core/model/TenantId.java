package org.phare.core.model;

/** Typed id of a tenant. */
public record TenantId(String value) implements Comparable<TenantId> {
    public TenantId {
        Ids.require(value, "tenant id");
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public int compareTo(TenantId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
