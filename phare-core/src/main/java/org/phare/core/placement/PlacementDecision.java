package org.phare.core.placement;

import org.phare.core.model.HostId;
import org.phare.core.model.ZoneId;

/** The scheduler's answer: a host, or a precise reason why none fits. */
public sealed interface PlacementDecision {

    record Placed(HostId host, ZoneId zone) implements PlacementDecision {}

    /**
     * @param code    stable code: {@code InsufficientCapacity}, {@code FailoverReserve}, {@code AntiAffinity},
     *                {@code NoHosts}
     * @param message which constraint, where, and how much is missing
     */
    record Unplaceable(String code, String message) implements PlacementDecision {}
}
