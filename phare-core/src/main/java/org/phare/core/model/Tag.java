package org.phare.core.model;

/** A tag key and value; in a deletion a null value means "whatever the value". */
public record Tag(String key, String value) {}
