package org.phare.core.control;

import org.phare.core.health.HealthConfig;
import org.phare.core.model.RegionId;
import org.phare.core.placement.PlacementConfig;

/**
 * Everything the controller decides with.
 *
 * @param region              the region this control plane serves
 * @param recoveryPerSecond   failover placements per second at most (token bucket rate)
 * @param recoveryBurst       failover placements allowed at once
 * @param maxRecoveryScan     instances of the recovery queue examined per tick at most
 * @param stormFraction       when more than this fraction of the hosts of every zone is silent, the controller
 *                            assumes it is the one cut off: it declares no host dead and raises
 *                            {@code ControlPlaneIsolated}
 * @param drillSettle         how long a drill keeps watching once its last step is over, for the cloud to recover
 */
public record ControllerConfig(RegionId region, PlacementConfig placement, HealthConfig health,
                               double recoveryPerSecond, int recoveryBurst, int maxRecoveryScan,
                               double stormFraction, java.time.Duration drillSettle) {

    public ControllerConfig {
        if (recoveryPerSecond <= 0 || recoveryBurst < 1 || maxRecoveryScan < 1) {
            throw new IllegalArgumentException("recovery rate, burst and scan bound must be positive");
        }
        if (stormFraction <= 0 || stormFraction >= 1) {
            throw new IllegalArgumentException("stormFraction must be in (0, 1)");
        }
        if (drillSettle == null || drillSettle.isNegative()) {
            throw new IllegalArgumentException("drillSettle must be 0 or more");
        }
    }

    /** How long a drill keeps watching after its last step ends, for the cloud to recover, by default. */
    public static final java.time.Duration DRILL_SETTLE = java.time.Duration.ofSeconds(60);

    public static ControllerConfig defaults(RegionId region) {
        return new ControllerConfig(region, PlacementConfig.defaults(), HealthConfig.defaults(), 2000, 2000, 20_000, 0.5, DRILL_SETTLE);
    }

    public ControllerConfig withPlacement(PlacementConfig p) {
        return new ControllerConfig(region, p, health, recoveryPerSecond, recoveryBurst, maxRecoveryScan, stormFraction, drillSettle);
    }

    public ControllerConfig withHealth(HealthConfig h) {
        return new ControllerConfig(region, placement, h, recoveryPerSecond, recoveryBurst, maxRecoveryScan, stormFraction, drillSettle);
    }

    public ControllerConfig withRecovery(double perSecond, int burst) {
        return new ControllerConfig(region, placement, health, perSecond, burst, maxRecoveryScan, stormFraction, drillSettle);
    }

    public ControllerConfig withDrillSettle(java.time.Duration settle) {
        return new ControllerConfig(region, placement, health, recoveryPerSecond, recoveryBurst, maxRecoveryScan, stormFraction, settle);
    }
}
