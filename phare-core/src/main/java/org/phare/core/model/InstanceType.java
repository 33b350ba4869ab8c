package org.phare.core.model;

/** A size of virtual server that tenants pick from, e.g. {@code tinav5.c2r4} or {@code m5.large}. */
public record InstanceType(InstanceTypeId id, Resources resources) {}
