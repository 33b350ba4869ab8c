package org.phare.core.record;

import java.util.List;
import org.phare.core.drill.Drill;
import org.phare.core.drill.Outage;
import org.phare.core.drill.Prediction;

/**
 * Full-scale exercises: every step of a drill is a record, so that the drill survives a change of leader (the new one
 * carries on from the log) and its report is computed from the log alone. Introduced by log format 3.
 */
public sealed interface DrillRecord extends Record {
    /** The drill's id. */
    String drill();

    /** A drill recorded, to start at {@code startAtMs}; when announced, the crisis cell is told from then on. */
    record DrillScheduled(String drill, Drill plan, long startAtMs, Prediction prediction, String by, long atMs)
            implements DrillRecord {}

    /** The drill started: {@code watched} are the instances in scope at that moment, whose outages count. */
    record DrillStarted(String drill, List<String> watched, long atMs) implements DrillRecord {
        public DrillStarted {
            watched = List.copyOf(watched);
        }
    }

    /**
     * A step of the timeline was carried out. {@code targets} are the hosts, people or sites it acted on;
     * {@code previous} what each target was before (a person's status), to be put back when the drill ends.
     */
    record DrillStepDone(String drill, int step, List<String> targets, List<String> previous, String detail, long atMs)
            implements DrillRecord {
        public DrillStepDone {
            targets = List.copyOf(targets);
            previous = previous == null ? List.of() : List.copyOf(previous);
        }
    }

    /** A check of the timeline was judged: met, or its time ran out. */
    record DrillCheckJudged(String drill, int step, boolean met, String detail, long atMs) implements DrillRecord {}

    /** A person wrote to the cloud during the drill: a manual intervention. */
    record DrillIntervention(String drill, String who, String role, String action, long atMs) implements DrillRecord {}

    /** What the prober, outside the control plane, saw of the watched instances. */
    record DrillProbed(String drill, int watched, long probes, List<Outage> outages, String by, long atMs)
            implements DrillRecord {
        public DrillProbed {
            outages = List.copyOf(outages);
        }
    }

    /**
     * The drill ended and every fault it caused was healed: {@code completed} (its timeline ran out), {@code aborted}
     * (on command) or {@code stopped} (a stop condition held). {@code uncovered}: the critical functions short of
     * people at the levels the objectives name, counted from the roster as the drill left it, before healing.
     */
    record DrillEnded(String drill, String outcome, String reason, List<String> uncovered, String by, long atMs)
            implements DrillRecord {
        public DrillEnded {
            uncovered = uncovered == null ? List.of() : List.copyOf(uncovered);
        }
    }
}
