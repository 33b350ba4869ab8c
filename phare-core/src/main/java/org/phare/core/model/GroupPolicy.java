package org.phare.core.model;

/** Anti-affinity policy of a placement group. */
public enum GroupPolicy {
    /** Never two members on one host (a hard constraint). */
    HOST_ANTI_AFFINITY,
    /** Members spread across the region's zones (a preference; each member still lands somewhere). */
    ZONE_SPREAD
}
