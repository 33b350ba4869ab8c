package org.phare.core.model;

/** A tenant's anti-affinity group. */
public record PlacementGroup(GroupId id, TenantId tenant, GroupPolicy policy) {}
