package org.phare.core.continuity;

import java.util.List;

/**
 * The continuity plan: the roles people hold, the alert levels (0 normal ... the last, offices closed), the sites
 * whose closure or loss of transport affects people and places, and the critical functions that must stay covered.
 * It is data, validated by {@link PlanCheck}; what it implies (coverage, actions on a level change) is computed.
 *
 * @param timezone the crisis cell's meeting times are in this zone (an IANA name, e.g. Europe/Paris)
 */
public record Plan(String name, String timezone, List<String> roles, List<Level> levels, List<PlanSite> sites,
                   List<CriticalFunction> functions) {
    public Plan {
        roles = roles == null ? List.of() : List.copyOf(roles);
        levels = levels == null ? List.of() : List.copyOf(levels);
        sites = sites == null ? List.of() : List.copyOf(sites);
        functions = functions == null ? List.of() : List.copyOf(functions);
    }

    /**
     * An alert level.
     *
     * @param remote   who must work remotely: {@code none}, {@code at-risk} (people flagged at risk) or {@code everyone}
     * @param meetings the crisis cell's meeting times (HH:MM in the plan's time zone); empty: no standing meeting
     */
    public record Level(int level, String name, String remote, List<Measure> measures, List<Trigger> triggers,
                        List<String> meetings) {
        public Level {
            measures = measures == null ? List.of() : List.copyOf(measures);
            triggers = triggers == null ? List.of() : List.copyOf(triggers);
            meetings = meetings == null ? List.of() : List.copyOf(meetings);
        }
    }

    /** What people do at a level: the text, its category, and the role that owns it. */
    public record Measure(String text, String category, String owner) {}

    /**
     * What raises the plan to this level.
     *
     * @param on        {@code manual}, {@code absenteeism}, {@code closure-order}, {@code transport-loss} or
     *                  {@code infrastructure}
     * @param action    {@code raise} (at once) or {@code recommend} (to the crisis cell)
     * @param threshold for absenteeism: the share of people absent, in percent; otherwise null
     */
    public record Trigger(String on, String action, Double threshold) {}

    /**
     * An office or a datacenter.
     *
     * @param area the address area an order or a transport strike names (e.g. a city or district)
     * @param zone for a datacenter, the availability zone it serves; otherwise null
     */
    public record PlanSite(String id, String kind, String area, String zone) {}

    /**
     * A function that must stay covered.
     *
     * @param roles   the roles that qualify a person for it
     * @param minimum available people required, one number per level
     */
    public record CriticalFunction(String id, String name, List<String> roles, List<Integer> minimum) {
        public CriticalFunction {
            roles = roles == null ? List.of() : List.copyOf(roles);
            minimum = minimum == null ? List.of() : List.copyOf(minimum);
        }
    }
}
