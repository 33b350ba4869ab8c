package org.phare.sim;

import org.phare.core.control.ControllerConfig;
import org.phare.core.placement.PlacementConfig;

/**
 * One simulation run.
 *
 * @param utilisation       vCPU share the workload fills (hosts are sized from it)
 * @param lossRate          share of messages the network drops
 * @param fencingDisabled   a deliberately broken agent that never fences, itself or its copies (proves the S1 checker
 *                          can fail)
 * @param watchdogDisabled  copies that hold no lease of their own (the leash alone, as before issue 14): a frozen agent's
 *                          copies live on (proves the checker catches it)
 * @param log               how the replicated log commits: latency and throughput (default: Ratis on three members)
 */
public record SimConfig(int hosts, int zones, int sitesPerZone, int instances, int tenants, Scenario scenario,
                        long seed, double utilisation, double lossRate, boolean fencingDisabled,
                        boolean watchdogDisabled, ControllerConfig controller, LogModel log) {

    public static final int MAX_HOSTS = 100_000;
    public static final int MAX_INSTANCES = 2_000_000;

    public SimConfig {
        if (hosts < 1 || hosts > MAX_HOSTS) {
            throw new IllegalArgumentException("--hosts must be between 1 and " + MAX_HOSTS + ", got " + hosts);
        }
        if (zones < 1 || zones > 26) {
            throw new IllegalArgumentException("--zones must be between 1 and 26, got " + zones);
        }
        if (hosts < zones) {
            throw new IllegalArgumentException("--hosts (" + hosts + ") must be at least --zones (" + zones + ")");
        }
        if (instances < 0 || instances > MAX_INSTANCES) {
            throw new IllegalArgumentException("--instances must be between 0 and " + MAX_INSTANCES + ", got " + instances);
        }
        if (sitesPerZone < 1 || tenants < 1) {
            throw new IllegalArgumentException("sites per zone and tenants must be positive");
        }
        if (utilisation <= 0 || utilisation >= 1) {
            throw new IllegalArgumentException("utilisation must be in (0, 1), got " + utilisation);
        }
        if (lossRate < 0 || lossRate >= 1) {
            throw new IllegalArgumentException("loss rate must be in [0, 1), got " + lossRate);
        }
    }

    /** The default fleet: plans for the loss of a zone, 60% utilisation, light message loss. */
    public static SimConfig of(int hosts, int zones, int instances, Scenario scenario, long seed) {
        // Plan for the loss of a zone; a single-zone cloud can only plan for the loss of a host.
        PlacementConfig.AdmissionPolicy admission = zones > 1 ? PlacementConfig.AdmissionPolicy.ZONE
                : PlacementConfig.AdmissionPolicy.HOST_PER_ZONE;
        ControllerConfig controller = ControllerConfig.defaults(Fleet.REGION)
                .withPlacement(PlacementConfig.defaults().withAdmission(admission));
        int tenants = Math.max(1, Math.min(100, instances / 10));
        return new SimConfig(hosts, zones, 2, instances, tenants, scenario, seed, 0.6, 0.001, false, false, controller,
                LogModel.ratisThreeMembers());
    }

    public SimConfig withSeed(long s) {
        return new SimConfig(hosts, zones, sitesPerZone, instances, tenants, scenario, s, utilisation, lossRate, fencingDisabled, watchdogDisabled, controller, log);
    }

    public SimConfig withUtilisation(double u) {
        return new SimConfig(hosts, zones, sitesPerZone, instances, tenants, scenario, seed, u, lossRate, fencingDisabled, watchdogDisabled, controller, log);
    }

    public SimConfig withFencingDisabled(boolean disabled) {
        return new SimConfig(hosts, zones, sitesPerZone, instances, tenants, scenario, seed, utilisation, lossRate, disabled, watchdogDisabled, controller, log);
    }

    public SimConfig withWatchdogDisabled(boolean disabled) {
        return new SimConfig(hosts, zones, sitesPerZone, instances, tenants, scenario, seed, utilisation, lossRate, fencingDisabled,
                disabled, controller, log);
    }

    public SimConfig withLog(LogModel l) {
        return new SimConfig(hosts, zones, sitesPerZone, instances, tenants, scenario, seed, utilisation, lossRate, fencingDisabled,
                watchdogDisabled, controller, l);
    }

    public SimConfig withController(ControllerConfig c) {
        return new SimConfig(hosts, zones, sitesPerZone, instances, tenants, scenario, seed, utilisation, lossRate, fencingDisabled, watchdogDisabled, c, log);
    }

    /** The command line that reproduces this run. */
    public String command() {
        String admission = controller.placement().admission() == (zones > 1 ? PlacementConfig.AdmissionPolicy.ZONE
                : PlacementConfig.AdmissionPolicy.HOST_PER_ZONE) ? "" : " --admission " + switch (controller.placement().admission()) {
                    case ZONE -> "zone";
                    case HOST_PER_ZONE -> "host";
                    case NONE -> "none";
                };
        return "phare sim --hosts " + hosts + " --zones " + zones + " --instances " + instances
                + " --scenario " + scenario.cliName() + " --seed " + seed
                + (utilisation == 0.6 ? "" : " --utilisation " + utilisation) + admission
                + (log.equals(LogModel.ratisThreeMembers()) ? "" : " --log-latency-ms " + log.commitLatencyNanos() / 1_000_000
                        + " --log-entries-per-second " + log.maxEntriesPerSecond());
    }
}
