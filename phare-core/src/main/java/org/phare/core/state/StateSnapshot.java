package org.phare.core.state;

/**
 * The primary data of a {@link CloudState}, as {@link CloudState#snapshot()} captures it and
 * {@link CloudState#restore(StateSnapshot)} rebuilds it: one section per domain manager, each versioned on its own
 * ({@code topology/1}, {@code compute/1}, ...) so that a later release may change one section's shape and still read
 * the others as they were. Every derived index (usage, zone aggregates, recovery queue, anti-affinity and tenant
 * counts, slot size) is recomputed on restore, never stored.
 *
 * <p>Immutable and made only of records, so it can be serialised off the event loop and travels as JSON through
 * {@code Json.mapper()}. An absent section reads as empty.
 *
 * @param appliedRecords records applied since the empty state (the restored state continues the count)
 */
public record StateSnapshot(long appliedRecords, TopologyManager.Section topology, ComputeManager.Section compute,
                            IdentityManager.Section identity, TagsManager.Section tags,
                            ContinuityManager.Section continuity, ClusterManager.Section cluster) {

    /** The name and version of each section, as a snapshot file spells them. */
    public static final String TOPOLOGY = "topology/1";
    public static final String COMPUTE = "compute/1";
    public static final String IDENTITY = "identity/1";
    public static final String TAGS = "tags/1";
    public static final String CONTINUITY = "continuity/1";
    public static final String CLUSTER = "cluster/1";

    public StateSnapshot {
        topology = topology == null ? TopologyManager.Section.EMPTY : topology;
        compute = compute == null ? ComputeManager.Section.EMPTY : compute;
        identity = identity == null ? IdentityManager.Section.EMPTY : identity;
        tags = tags == null ? TagsManager.Section.EMPTY : tags;
        continuity = continuity == null ? ContinuityManager.Section.EMPTY : continuity;
        cluster = cluster == null ? ClusterManager.Section.EMPTY : cluster;
    }
}
