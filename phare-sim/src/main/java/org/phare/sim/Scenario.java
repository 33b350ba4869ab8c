package org.phare.sim;

import java.util.Locale;

/** The fault a run injects once the fleet runs. */
public enum Scenario {
    NONE("no fault: placement and steady state only"),
    HOST_LOSS("the most loaded host loses power"),
    SITE_LOSS("every host of one datacenter loses power"),
    ZONE_LOSS("every host of one zone loses power"),
    PARTITION("the most loaded host is cut off from the control plane but keeps running until it fences itself"),
    FLAPPING("one host's network goes up and down around the detection thresholds"),
    CONTROL_PLANE_ISOLATION("the controller is cut off from every host for 15 s: failover must freeze"),
    CONTROLLER_RESTART("a zone is lost, then the controller is killed mid-recovery and rebuilds its state from the log"),
    FROZEN_AGENT("the most loaded host's agent freezes for 10 s (SIGSTOP): it cannot fence, so its copies must stop at its lease deadline on their own"),
    ONE_WAY_PARTITION("one host hears nothing from the control plane though its heartbeats arrive, another is heard no more though it could hear: both cut for 20 s"),
    LOG_STALL("a zone is lost and the log stalls for 5 s as the recovery starts: nothing commits, agents hear of nothing new, no live host may fence"),
    RANDOM("a random mix of faults (crashes, partitions both ways and one way, frozen agents, site losses, controller kills and isolations) and tenant actions, then every fault heals and the cloud must converge");

    private final String description;

    Scenario(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Scenario parse(String name) {
        for (Scenario s : values()) {
            if (s.cliName().equals(name) || s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "'; expected one of: " + names());
    }

    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (Scenario s : values()) {
            sb.append(sb.isEmpty() ? "" : ", ").append(s.cliName());
        }
        return sb.toString();
    }
}
