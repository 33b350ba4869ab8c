package org.phare.core.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.phare.core.drill.Drill;
import org.phare.core.drill.Fault;
import org.phare.core.drill.Objective;
import org.phare.core.drill.Outage;
import org.phare.core.drill.Prediction;
import org.phare.core.record.ContinuityRecord;
import org.phare.core.record.DrillRecord;
import org.phare.core.state.CloudState;
import org.phare.core.state.CrisisCell;
import org.phare.core.state.DrillManager.DrillRun;
import org.phare.core.state.Failovers;

/**
 * The exercise report an auditor asks for (ISO 22301 §8.5, SecNumCloud): computed from the log's records and the
 * prober's report alone, so that every member gives the same one. Pure.
 *
 * @param objectives         each objective, met or not (null: not judged yet, e.g. the prober has not reported), with
 *                           its evidence
 * @param outage             what the prober saw: per-instance longest outage
 * @param timeline           what the drill did and what the cloud and the crisis cell did meanwhile, in time order
 * @param interventions      the writes of people (operator, crisis cell, hr) during the drill
 * @param uncovered          critical functions short of people at the levels the objectives name
 * @param findings           what failed, each with what to do, an owner and a due date
 */
public record DrillReport(String id, String name, String description, String status, String reason, String announcement,
                          String scheduledBy, long scheduledAtMs, long startAtMs, Long startedAtMs, Long endedAtMs,
                          Scope scope, List<ObjectiveResult> objectives, OutageSummary outage, Prediction prediction,
                          List<String> predictionGaps, int manualInterventions, List<Intervention> interventions,
                          List<Line> timeline, List<Failover> failovers, List<String> uncovered, List<Finding> findings) {

    public record Scope(String region, List<String> zones, List<String> sites, List<String> tenants, int watched) {}

    public record ObjectiveResult(String text, Boolean met, String evidence) {}

    /**
     * @param instances instances with at least one outage, of {@code watched}; the percentiles are of every watched
     *                  instance's longest outage, 0 for one never down
     * @param worst     the longest outages, longest first (at most 10)
     */
    public record OutageSummary(int watched, int instances, long probes, double p50Seconds, double p95Seconds,
                                double maxSeconds, List<InstanceOutage> worst, boolean reported) {}

    public record InstanceOutage(String instance, double seconds, boolean recovered) {}

    public record Intervention(long atMs, String who, String role, String action) {}

    /** One line of the timeline; {@code offsetMs} from the drill's start. */
    public record Line(long atMs, long offsetMs, String kind, String text) {}

    public record Failover(String instance, String fromHost, String toHost, double detectionSeconds, double recoverySeconds) {}

    /** What failed, what to do, who (a role of the plan: crisis, operator, hr) and by when. */
    public record Finding(String text, String action, String owner, long dueMs) {}

    /** Findings are due this long after the drill ends. */
    public static final long FINDING_DUE_MS = 14L * 24 * 3_600_000;

    public static DrillReport of(CloudState state, DrillRun run, long nowMs) {
        Drill drill = run.drill();
        DrillRecord.DrillScheduled s = run.scheduled();
        Long startedAt = run.started() == null ? null : run.started().atMs();
        Long endedAt = run.ended() == null ? null : run.ended().atMs();
        long from = startedAt == null ? s.startAtMs() : startedAt;
        long to = endedAt == null ? nowMs : endedAt;
        int watched = run.started() == null ? 0 : run.started().watched().size();

        OutageSummary outage = outage(run, watched);
        List<ObjectiveResult> objectives = new ArrayList<>();
        for (Objective o : drill.objectives()) {
            objectives.add(judge(state, run, o, outage, from));
        }
        List<Failover> failovers = new ArrayList<>();
        for (Failovers.Failover f : state.failovers().doneSince(from)) {
            if (f.hostDeadAtMs() <= to) {
                failovers.add(new Failover(f.instance().value(), f.fromHost().value(), f.toHost() == null ? null : f.toHost().value(),
                        f.detectionMs() / 1000.0, f.replacementMs() / 1000.0));
            }
        }
        List<Line> timeline = timeline(state, run, from, to);
        List<Intervention> interventions = run.interventions().stream()
                .map(i -> new Intervention(i.atMs(), i.who(), i.role(), i.action())).toList();
        List<String> uncovered = run.ended() == null ? List.of() : run.ended().uncovered();
        List<String> gaps = predictionGaps(s.prediction(), outage);
        List<Finding> findings = new ArrayList<>();
        long due = to + FINDING_DUE_MS;
        for (ObjectiveResult r : objectives) {
            if (Boolean.FALSE.equals(r.met())) {
                findings.add(new Finding("objective not met: " + r.text() + " (" + r.evidence() + ")",
                        "find the cause, correct it, and prove it in the next drill", "crisis", due));
            }
        }
        for (String g : gaps) {
            findings.add(new Finding("prediction and reality differ: " + g, "explain the gap: correct the simulator's model or the cloud",
                    "operator", due));
        }
        for (String u : uncovered) {
            findings.add(new Finding("critical function short of people: " + u, "train or recruit backups for it", "hr", due));
        }
        return new DrillReport(run.id(), drill.name(), drill.description(), run.status(),
                run.ended() == null ? null : run.ended().reason(),
                drill.announcement().surprise() ? "surprise" : "announced " + duration(drill.announcement().aheadMs()) + " ahead",
                s.by(), s.atMs(), s.startAtMs(), startedAt, endedAt,
                new Scope(drill.scope().region(), drill.scope().zones(), drill.scope().sites(), drill.scope().tenants(), watched),
                objectives, outage, s.prediction(), gaps, (int) run.interventionCount(), interventions, timeline, failovers,
                uncovered, findings);
    }

    private static OutageSummary outage(DrillRun run, int watched) {
        DrillRecord.DrillProbed p = run.probed();
        if (p == null) {
            return new OutageSummary(watched, 0, 0, 0, 0, 0, List.of(), false);
        }
        Map<String, InstanceOutage> longest = new HashMap<>();
        for (Outage o : p.outages()) {
            InstanceOutage io = new InstanceOutage(o.instance(), o.durationMs() / 1000.0, o.recovered());
            longest.merge(o.instance(), io, (a, b) -> a.seconds() >= b.seconds() ? a : b);
        }
        List<InstanceOutage> sorted = new ArrayList<>(longest.values());
        sorted.sort(Comparator.comparingDouble(InstanceOutage::seconds).reversed().thenComparing(InstanceOutage::instance));
        // Every watched instance counts, one never down as 0 s (as the prediction counts them).
        double[] secs = new double[Math.max(p.watched(), sorted.size())];
        for (int i = 0; i < sorted.size(); i++) {
            secs[secs.length - 1 - i] = sorted.get(i).seconds();
        }
        java.util.Arrays.sort(secs);
        return new OutageSummary(p.watched(), sorted.size(), p.probes(), percentile(secs, 0.50), percentile(secs, 0.95),
                secs.length == 0 ? 0 : secs[secs.length - 1], List.copyOf(sorted.subList(0, Math.min(10, sorted.size()))), true);
    }

    /**
     * Nearest-rank percentile of sorted values; 0 when there are none. The simulator's prediction uses it too, so that
     * the figures the report puts side by side are computed alike.
     */
    public static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static ObjectiveResult judge(CloudState state, DrillRun run, Objective o, OutageSummary outage, long from) {
        return switch (o) {
            case Objective.OutageWithin w -> {
                if (!outage.reported()) {
                    yield new ObjectiveResult(o.text(), null, "the prober has not reported");
                }
                boolean allBack = outage.worst().stream().allMatch(InstanceOutage::recovered);
                boolean met = allBack && outage.maxSeconds() * 1000 <= w.maxMs();
                yield new ObjectiveResult(o.text(), met, String.format(Locale.ROOT,
                        "%d of %d watched instances had an outage; longest %.1f s (limit %s)%s", outage.instances(),
                        outage.watched(), outage.maxSeconds(), duration(w.maxMs()), allBack ? "" : "; some never answered again"));
            }
            case Objective.NoManualIntervention n -> new ObjectiveResult(o.text(),
                    run.ended() == null ? null : run.interventionCount() == 0,
                    run.interventionCount() + " manual intervention(s)" + (run.interventionCount() == 0 ? ""
                            : ": " + String.join(", ", run.interventions().stream().limit(5).map(i -> i.who() + " " + i.action()).toList())));
            case Objective.FunctionsCovered f -> {
                if (run.ended() == null) {
                    yield new ObjectiveResult(o.text(), null, "judged when the drill ends");
                }
                List<String> gaps = run.ended().uncovered().stream().filter(u -> u.startsWith("level " + f.level() + ":")).toList();
                yield new ObjectiveResult(o.text(), gaps.isEmpty(), gaps.isEmpty() ? "every critical function covered at level "
                        + f.level() + " with the roster as the drill left it" : String.join("; ", gaps));
            }
            case Objective.LevelReached l -> {
                Long at = null;
                for (ContinuityRecord.LevelChanged c : state.levelHistory()) {
                    if (c.atMs() >= from && c.to() >= l.level()) {
                        at = c.atMs();
                        break;
                    }
                }
                boolean already = at == null && levelAt(state, from) >= l.level();
                Boolean met = already || (at != null && at - from <= l.withinMs()) ? Boolean.TRUE
                        : run.ended() == null ? null : Boolean.FALSE;
                yield new ObjectiveResult(o.text(), met, already ? "level " + l.level() + " or more already when the drill started"
                        : at == null ? "level " + l.level() + " not reached" : "level " + l.level() + " reached after " + duration(at - from));
            }
        };
    }

    private static int levelAt(CloudState state, long atMs) {
        int level = 0;
        for (ContinuityRecord.LevelChanged c : state.levelHistory()) {
            if (c.atMs() <= atMs) {
                level = c.to();
            }
        }
        return level;
    }

    private static List<Line> timeline(CloudState state, DrillRun run, long from, long to) {
        List<Line> lines = new ArrayList<>();
        Drill drill = run.drill();
        if (run.started() != null) {
            lines.add(new Line(from, 0, "drill", "started; " + run.started().watched().size() + " instances watched"));
        }
        for (DrillRecord.DrillStepDone d : run.steps()) {
            Fault f = drill.timeline().get(d.step()).fault();
            String kind = f instanceof Fault.AgentFault || f instanceof Fault.LeaderFault ? "fault" : f instanceof Fault.LevelCheck ? "check" : "people";
            lines.add(new Line(d.atMs(), d.atMs() - from, kind, d.detail()));
        }
        for (DrillRecord.DrillCheckJudged c : run.checks()) {
            lines.add(new Line(c.atMs(), c.atMs() - from, "check", (c.met() ? "met: " : "NOT met: ") + c.detail()));
        }
        for (ContinuityRecord.LevelChanged c : state.levelHistory()) {
            if (c.atMs() >= from && c.atMs() <= to) {
                lines.add(new Line(c.atMs(), c.atMs() - from, "level", "level " + c.from() + " -> " + c.to() + " (" + c.by() + ")"));
            }
        }
        for (ContinuityRecord.LevelRecommended c : state.recommendations()) {
            if (c.atMs() >= from && c.atMs() <= to) {
                lines.add(new Line(c.atMs(), c.atMs() - from, "level", "level " + c.level() + " recommended (" + c.trigger() + ")"));
            }
        }
        for (CrisisCell.Meeting m : state.crisis().meetings()) {
            if (m.openedAtMs() >= from && m.openedAtMs() <= to) {
                lines.add(new Line(m.openedAtMs(), m.openedAtMs() - from, "cell", "meeting " + m.id() + " (" + m.slot() + ") opened by " + m.openedBy()));
            }
        }
        for (ContinuityRecord.MinutesRecorded m : state.crisis().minutes()) {
            if (m.decision() && m.atMs() >= from && m.atMs() <= to) {
                lines.add(new Line(m.atMs(), m.atMs() - from, "cell", "decision: " + m.text()));
            }
        }
        for (Failovers.Failover f : state.failovers().doneSince(from)) {
            if (f.hostDeadAtMs() <= to) {
                lines.add(new Line(f.runningAtMs(), f.runningAtMs() - from, "failover", f.instance().value() + " runs again on "
                        + f.toHost().value() + " (" + f.fromHost().value() + " declared dead after " + duration(Math.max(0, f.detectionMs())) + ")"));
            }
        }
        if (run.ended() != null) {
            lines.add(new Line(run.ended().atMs(), run.ended().atMs() - from, "drill", run.ended().outcome() + ": " + run.ended().reason()));
        }
        lines.sort(Comparator.comparingLong(Line::atMs));
        return lines.size() > 2_000 ? List.copyOf(lines.subList(0, 2_000)) : lines;
    }

    /** Where the prober's figures and the simulator's differ by more than 5 s and half of the prediction. */
    static List<String> predictionGaps(Prediction p, OutageSummary o) {
        List<String> gaps = new ArrayList<>();
        if (p == null || !o.reported()) {
            return gaps;
        }
        gap(gaps, "p50", p.p50Seconds(), o.p50Seconds());
        gap(gaps, "p95", p.p95Seconds(), o.p95Seconds());
        gap(gaps, "max", p.maxSeconds(), o.maxSeconds());
        return gaps;
    }

    private static void gap(List<String> gaps, String what, double predicted, double seen) {
        double diff = Math.abs(seen - predicted);
        if (diff > 5 && diff > 0.5 * predicted) {
            gaps.add(String.format(Locale.ROOT, "outage %s %.1f s seen, %.1f s predicted", what, seen, predicted));
        }
    }

    static String duration(long ms) {
        if (ms % 86_400_000 == 0 && ms > 0) {
            return ms / 86_400_000 + " d";
        }
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + " h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + " min";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
