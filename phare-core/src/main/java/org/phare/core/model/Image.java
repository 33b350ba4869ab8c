package org.phare.core.model;

/** A bootable image. {@code kind} tells a driver how to run it (e.g. {@code http-echo} for the process driver). */
public record Image(ImageId id, String description, String kind) {}
