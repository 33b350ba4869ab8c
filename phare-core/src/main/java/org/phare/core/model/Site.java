package org.phare.core.model;

/** A datacenter holding hosts of one zone. */
public record Site(SiteId id, ZoneId zone, String description) {}
