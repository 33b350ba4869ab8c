package org.phare.core.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phare.core.drill.Drill;
import org.phare.core.record.DrillRecord;

/**
 * Full-scale exercises: each drill from its scheduling to its end, as its records tell it. Replays
 * {@link DrillRecord}s alone; its snapshot section is {@link Section}, absent from a snapshot while no drill was ever
 * scheduled (a release that knows no drills reads such a snapshot). Keeps the last {@link #KEPT} drills.
 */
public final class DrillManager {
    /** Drills kept; the oldest ended ones go first. */
    public static final int KEPT = 100;
    /** Interventions listed per drill; more are counted only. */
    public static final int MAX_INTERVENTIONS = 1_000;

    private final Map<String, DrillRun> runs = new LinkedHashMap<>();
    private long seq;
    /** The drill running now, or null: asked by every heartbeat's reply, so kept rather than searched. */
    private DrillRun running;

    /**
     * A drill as the log tells it so far.
     *
     * @param interventions the manual interventions listed (at most {@link #MAX_INTERVENTIONS})
     * @param interventionCount every one, listed or not
     */
    public record DrillRun(String id, DrillRecord.DrillScheduled scheduled, DrillRecord.DrillStarted started,
                           List<DrillRecord.DrillStepDone> steps, List<DrillRecord.DrillCheckJudged> checks,
                           List<DrillRecord.DrillIntervention> interventions, long interventionCount,
                           DrillRecord.DrillProbed probed, DrillRecord.DrillEnded ended) {
        public DrillRun {
            steps = List.copyOf(steps);
            checks = List.copyOf(checks);
            interventions = List.copyOf(interventions);
        }

        public Drill drill() {
            return scheduled.plan();
        }

        /** Started and not ended. */
        public boolean running() {
            return started != null && ended == null;
        }

        /** Neither started nor ended. */
        public boolean pending() {
            return started == null && ended == null;
        }

        /** The record of step {@code index} carried out, or null. */
        public DrillRecord.DrillStepDone step(int index) {
            for (DrillRecord.DrillStepDone s : steps) {
                if (s.step() == index) {
                    return s;
                }
            }
            return null;
        }

        /** The judgement of the check at step {@code index}, or null. */
        public DrillRecord.DrillCheckJudged check(int index) {
            for (DrillRecord.DrillCheckJudged c : checks) {
                if (c.step() == index) {
                    return c;
                }
            }
            return null;
        }

        public String status() {
            return ended != null ? ended.outcome() : started != null ? "running" : "scheduled";
        }

        private DrillRun with(DrillRecord r) {
            return switch (r) {
                case DrillRecord.DrillScheduled s -> this;
                case DrillRecord.DrillStarted s -> new DrillRun(id, scheduled, s, steps, checks, interventions, interventionCount, probed, ended);
                case DrillRecord.DrillStepDone s -> new DrillRun(id, scheduled, started, plus(steps, s), checks, interventions, interventionCount, probed, ended);
                case DrillRecord.DrillCheckJudged c -> new DrillRun(id, scheduled, started, steps, plus(checks, c), interventions, interventionCount, probed, ended);
                case DrillRecord.DrillIntervention i -> new DrillRun(id, scheduled, started, steps, checks,
                        interventions.size() < MAX_INTERVENTIONS ? plus(interventions, i) : interventions, interventionCount + 1, probed, ended);
                case DrillRecord.DrillProbed p -> new DrillRun(id, scheduled, started, steps, checks, interventions, interventionCount, p, ended);
                case DrillRecord.DrillEnded e -> new DrillRun(id, scheduled, started, steps, checks, interventions, interventionCount, probed, e);
            };
        }

        private static <T> List<T> plus(List<T> list, T item) {
            List<T> l = new ArrayList<>(list.size() + 1);
            l.addAll(list);
            l.add(item);
            return l;
        }
    }

    /** The drills snapshot section ({@code drills/1}). */
    public record Section(long seq, List<DrillRun> runs) {
        public Section {
            runs = runs == null ? List.of() : List.copyOf(runs);
        }
    }

    void replay(DrillRecord record) {
        if (record instanceof DrillRecord.DrillScheduled s) {
            seq++;
            runs.put(s.drill(), new DrillRun(s.drill(), s, null, List.of(), List.of(), List.of(), 0, null, null));
            if (runs.size() > KEPT) {
                runs.values().stream().filter(r -> r.ended() != null).findFirst().ifPresent(r -> runs.remove(r.id()));
            }
            return;
        }
        DrillRun run = runs.get(record.drill());
        if (run != null) {
            DrillRun next = run.with(record);
            runs.put(run.id(), next);
            if (next.running()) {
                running = next;
            } else if (running != null && running.id().equals(next.id())) {
                running = null;
            }
        }
    }

    /** Null when no drill was ever scheduled: the section is left out of the snapshot. */
    Section section() {
        return seq == 0 ? null : new Section(seq, List.copyOf(runs.values()));
    }

    static DrillManager restore(Section s) {
        DrillManager m = new DrillManager();
        if (s != null) {
            m.seq = s.seq();
            s.runs().forEach(r -> {
                m.runs.put(r.id(), r);
                if (r.running()) {
                    m.running = r;
                }
            });
        }
        return m;
    }

    void differences(DrillManager other, List<String> diffs) {
        if (seq != other.seq) {
            diffs.add("drills scheduled " + seq + " != " + other.seq);
        }
        if (!runs.equals(other.runs)) {
            diffs.add("drills " + runs.keySet() + " differ from " + other.runs.keySet());
        }
    }

    /** The id the next drill scheduled gets. */
    public String nextId() {
        return "drill-" + (seq + 1);
    }

    /** Every drill kept, oldest first. */
    public List<DrillRun> all() {
        return List.copyOf(runs.values());
    }

    public DrillRun get(String id) {
        return runs.get(id);
    }

    /** The drill running now, or null (one at a time). */
    public DrillRun running() {
        return running;
    }
}
