package org.phare.sim;

import java.util.List;

/**
 * What a run measured. Virtual-time figures ({@code detectionSeconds}, {@code recoverySeconds}) are exact
 * to the 100 ms probe; wall-clock ones ({@code placementsPerSecond}, {@code wallSeconds}) depend on the machine.
 *
 * @param placementsPerSecond initial placements per wall-clock second, whole path: validation, scheduling,
 *                            record creation, journal append and replay (leader and replica)
 * @param affectedInstances   instances the fault took down (their copy was killed or fenced)
 * @param detectionSeconds    from the fault until the last affected host is declared dead (or, for
 *                            control-plane isolation, until the alarm is raised); null if never
 * @param recoverySeconds     from the fault until the last affected instance runs again (for {@code random}: from
 *                            the moment every fault heals); null if some never did
 * @param unplacedInstances   instances that should run but have no host at the end
 * @param rejectedInstances   creations refused at admission (the failover reserve was full)
 * @param logDigest           hash of the whole record log: equal seeds give equal digests
 * @param wronglyFenced       fences of agents whose host no fault touched (never crashed nor cut off): the control
 *                            plane failed them (a busy loop, a slow log); must be 0
 * @param logEntries          entries the log committed (one per event that appended: the group commit)
 */
public record SimResult(long seed, String scenario, int hosts, int zones, int instances, int rejectedInstances,
                        double placementsPerSecond, int affectedInstances, Double detectionSeconds,
                        Double recoverySeconds, int unplacedInstances, int invariantViolations,
                        List<String> violations, long failoverPlacements, long evictions, long hostsDeclaredDead,
                        long agentFences, long controllerRestarts, List<String> alarmsRaised, long events,
                        double virtualSeconds, long logRecords, String logDigest, double heapUsedMiB,
                        double wallSeconds, String reproduce, long wronglyFenced, long logEntries) {

    public boolean ok() {
        return invariantViolations == 0;
    }
}
