package org.phare.core.drill;

/**
 * What a drill must prove. Each is judged at the end from the log's records and, for outages, from what the
 * prober saw; the report shows the evidence.
 */
public sealed interface Objective {
    /** How the objective reads in the report. */
    String text();

    /** Every watched instance answers again within this long after each outage the prober saw (its longest outage). */
    record OutageWithin(String text, long maxMs) implements Objective {}

    /** Nobody (operator, crisis cell, hr) had to write anything during the drill. */
    record NoManualIntervention(String text) implements Objective {}

    /** Every critical function of the plan is covered, counted from the roster during the drill, at this level. */
    record FunctionsCovered(String text, int level) implements Objective {}

    /** The alert level reaches at least this value within this long after the drill's start. */
    record LevelReached(String text, int level, long withinMs) implements Objective {}
}
