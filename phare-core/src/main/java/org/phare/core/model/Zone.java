package org.phare.core.model;

/** An availability zone of a region, spread over one or more sites. */
public record Zone(ZoneId id, RegionId region) {}
