package org.phare.core.model;

/** A region: a set of availability zones (Outscale: a region of subregions). */
public record Region(RegionId id, String description) {}
