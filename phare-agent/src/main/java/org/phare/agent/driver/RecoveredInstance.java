package org.phare.agent.driver;

import java.time.Instant;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;

/**
 * A copy that a previous driver on the same data directory left running, found by
 * {@link InstanceDriver#recover()}. The generation and port are read from the live process's own command line,
 * not only from the record it left, so they describe what actually runs.
 */
public record RecoveredInstance(InstanceId id, long generation, ImageId image, String address, long pid,
                                Instant startedAt) {}
