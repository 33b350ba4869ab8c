package org.phare.core.record;

/**
 * An immutable fact in the replicated log. State changes only by replaying records, through
 * {@link org.phare.core.state.CloudState#replay(Record)}, on the leader, on followers and on recovery alike.
 *
 * <p>Records come in families, one per domain of the state ({@link TopologyRecord}, {@link ComputeRecord},
 * {@link IdentityRecord}, {@link TagRecord}, {@link ContinuityRecord}, {@link ClusterRecord}); each family is replayed by
 * the manager of its domain alone, with a {@code switch} the compiler checks for exhaustiveness, as this one is over the
 * families. Records carry every value replay needs (including the time, {@code atMs}, read from the controller's clock
 * when the record was decided), so replay is deterministic and never consults a clock or a policy. How each is written
 * in the log (its stable, versioned type id, and the log format that introduced it) is {@link RecordTypes}' business.
 */
public sealed interface Record permits TopologyRecord, ComputeRecord, IdentityRecord, TagRecord, ContinuityRecord, ClusterRecord {
}
