package org.phare.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.phare.core.drill.Durations;
import org.phare.core.drill.Fault;
import org.phare.core.drill.Objective;
import org.phare.core.drill.Step;

/**
 * What a drill is expected to do, from its timeline run against the simulator over many seeds
 * ({@link DrillSimulation}): the outages of the instances in scope, each objective met in how many seeds, each
 * step's detection and recovery times. The live drill's report puts it beside what the prober measured.
 *
 * @param cloud         the simulated cloud ("6 hosts in 3 zones, 6 instances")
 * @param outage        every watched instance's longest outage, pooled over the seeds
 * @param seedsStopped  runs a stop condition ended early
 * @param violations    safety invariants broken, with their seed: a bug of the control plane, to report
 * @param notes         what some runs could not do, and how the simulator stands in for the live faults
 */
public record DrillPrediction(String drill, String cloud, long firstSeed, int seeds, Outage outage,
                              List<ObjectiveOutcome> objectives, List<StepSummary> steps, int seedsStopped,
                              List<String> violations, List<String> notes) {
    /** Most seeds a prediction runs. */
    public static final int MAX_SEEDS = 1000;

    /**
     * The outage figures, named as the live report names the prober's.
     *
     * @param instances      instances watched in a run (the median over the seeds)
     * @param affected       of those, how many had an outage (the median)
     * @param p50Seconds     median of every watched instance's longest outage, all seeds pooled (0 for one never down)
     * @param worstSeed      the seed of the longest outage (replay it with --seed)
     * @param unrecovered    watched instances that never answered again before their run ended, all seeds
     */
    public record Outage(int instances, int affected, double p50Seconds, double p95Seconds, double maxSeconds, long worstSeed,
                         int unrecovered) {}

    /**
     * @param kind        outageWithin, manualInterventions, functionsCoveredAtLevel or levelReached, as the file says
     * @param metInSeeds  in how many seeds it was met; null when the simulator cannot tell (see note)
     */
    public record ObjectiveOutcome(String text, String kind, Integer metInSeeds, String note) {}

    /**
     * A step over the seeds; times in seconds from the step, over the runs where they exist.
     *
     * @param checkMetInSeeds for a level check: in how many seeds the level was reached in time
     */
    public record StepSummary(int step, String at, String what, Double detectionP50Seconds, Double detectionMaxSeconds,
                              Double recoveryP50Seconds, Double recoveryMaxSeconds, int instancesDownMax,
                              Integer checkMetInSeeds) {}

    /** Runs the drill once per seed, {@code firstSeed} and the next ones. */
    public static DrillPrediction predict(DrillSimulation.Setup setup, long firstSeed, int seeds, Consumer<String> progress) {
        if (seeds < 1 || seeds > MAX_SEEDS) {
            throw new IllegalArgumentException("--seeds must be between 1 and " + MAX_SEEDS + ", got " + seeds);
        }
        List<DrillSimulation.Run> runs = new ArrayList<>();
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
            DrillSimulation.Run r = DrillSimulation.run(setup, seed);
            runs.add(r);
            progress.accept(String.format(java.util.Locale.ROOT, "seed %d: %d of %d watched instances down, longest %.1f s%s",
                    seed, r.affected(), r.watched(), r.outageSeconds().stream().mapToDouble(Double::doubleValue).max().orElse(0),
                    r.violations().isEmpty() ? "" : ", SAFETY VIOLATED"));
        }
        return of(setup, firstSeed, runs);
    }

    static DrillPrediction of(DrillSimulation.Setup setup, long firstSeed, List<DrillSimulation.Run> runs) {
        List<Double> pooled = new ArrayList<>();
        double worst = -1;
        long worstSeed = firstSeed;
        int unrecovered = 0;
        for (DrillSimulation.Run r : runs) {
            pooled.addAll(r.outageSeconds());
            unrecovered += r.unrecovered();
            for (double o : r.outageSeconds()) {
                if (o > worst) {
                    worst = o;
                    worstSeed = r.seed();
                }
            }
        }
        Outage outage = new Outage(median(runs.stream().map(r -> (double) r.watched()).toList()).intValue(),
                median(runs.stream().map(r -> (double) r.affected()).toList()).intValue(), orZero(percentile(pooled, 50)),
                orZero(percentile(pooled, 95)), orZero(percentile(pooled, 100)), worstSeed, unrecovered);

        List<ObjectiveOutcome> objectives = new ArrayList<>();
        List<Objective> drillObjectives = setup.drill().objectives();
        for (int j = 0; j < drillObjectives.size(); j++) {
            int index = j;
            List<Boolean> met = runs.stream().map(r -> r.objectivesMet().get(index)).toList();
            Objective o = drillObjectives.get(j);
            boolean unknown = met.stream().anyMatch(Objects::isNull);
            objectives.add(new ObjectiveOutcome(o.text(), kind(o), unknown ? null : (int) met.stream().filter(b -> b).count(),
                    unknown ? why(o) : null));
        }

        List<StepSummary> steps = new ArrayList<>();
        List<Step> timeline = setup.drill().timeline();
        for (int k = 0; k < timeline.size(); k++) {
            int index = k;
            List<DrillSimulation.StepOutcome> each = runs.stream().map(r -> r.steps().get(index)).toList();
            List<Double> detection = each.stream().map(DrillSimulation.StepOutcome::detectionSeconds).filter(Objects::nonNull).toList();
            List<Double> recovery = each.stream().map(DrillSimulation.StepOutcome::recoverySeconds).filter(Objects::nonNull).toList();
            boolean check = timeline.get(k).fault() instanceof Fault.LevelCheck;
            Integer checkMet = !check || each.stream().anyMatch(s -> s.checkMet() == null) ? null
                    : (int) each.stream().filter(DrillSimulation.StepOutcome::checkMet).count();
            steps.add(new StepSummary(k, Durations.format(timeline.get(k).atMs()), DrillSimulation.describe(timeline.get(k).fault()),
                    percentile(detection, 50), percentile(detection, 100), percentile(recovery, 50), percentile(recovery, 100),
                    each.stream().mapToInt(DrillSimulation.StepOutcome::instancesDown).max().orElse(0), checkMet));
        }

        List<String> violations = new ArrayList<>();
        List<String> notes = new ArrayList<>(model(setup));
        for (DrillSimulation.Run r : runs) {
            r.violations().forEach(v -> violations.add("seed " + r.seed() + ": " + v));
            r.notes().stream().filter(n -> !notes.contains(n) && notes.size() < 30).forEach(notes::add);
        }
        int stopped = (int) runs.stream().filter(r -> r.stoppedAtSeconds() != null).count();
        return new DrillPrediction(setup.drill().name(), setup.shape().describe(), firstSeed, runs.size(), outage, objectives, steps,
                stopped, violations, notes);
    }

    /** How the simulator stands in for the faults of this drill, where it is not the real thing. */
    private static List<String> model(DrillSimulation.Setup setup) {
        List<String> out = new ArrayList<>();
        List<Fault> faults = setup.drill().timeline().stream().map(Step::fault).toList();
        if (faults.stream().anyMatch(f -> f instanceof Fault.AgentFault a && a.action() == Fault.AgentAction.FREEZE)) {
            out.add("a frozen agent is simulated as one cut off from the control plane: both stop beating while their"
                    + " copies run until they fence themselves");
        }
        if (faults.stream().anyMatch(f -> f instanceof Fault.LeaderFault)) {
            out.add("the control plane is simulated as one node rebuilt from its log: a stopped leader is replaced after "
                    + DrillSimulation.ELECTION_NANOS / 1_000_000 + " ms (an election on three members), a frozen one after the"
                    + " shorter of its freeze and an election, one that steps down after " + DrillSimulation.STEP_DOWN_NANOS / 1_000_000 + " ms");
        }
        if (setup.plan() == null && faults.stream().anyMatch(f -> !(f instanceof Fault.AgentFault || f instanceof Fault.LeaderFault))) {
            out.add("no continuity plan: the people faults and level checks could not be played");
        }
        return out;
    }

    private static String kind(Objective o) {
        return switch (o) {
            case Objective.OutageWithin w -> "outageWithin";
            case Objective.NoManualIntervention n -> "manualInterventions";
            case Objective.FunctionsCovered f -> "functionsCoveredAtLevel";
            case Objective.LevelReached l -> "levelReached";
        };
    }

    private static String why(Objective o) {
        return o instanceof Objective.NoManualIntervention ? "not predicted: nobody in the simulator could act; the live drill counts"
                + " every write by a person" : "not predicted: the simulation had no continuity plan";
    }

    /** Nearest rank, as the live drill's report computes it; null for no values. */
    static Double percentile(List<Double> values, int p) {
        if (values.isEmpty()) {
            return null;
        }
        return org.phare.core.report.DrillReport.percentile(values.stream().mapToDouble(Double::doubleValue).sorted().toArray(), p / 100.0);
    }

    private static Double median(List<Double> values) {
        return orZero(percentile(values, 50));
    }

    private static Double orZero(Double v) {
        return v == null ? 0.0 : v;
    }
}
