package org.phare.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.continuity.Person;
import org.phare.core.continuity.Plan;
import org.phare.core.drill.Announcement;
import org.phare.core.drill.Drill;
import org.phare.core.drill.Fault;
import org.phare.core.drill.Fault.AgentAction;
import org.phare.core.drill.Fault.AgentFault;
import org.phare.core.drill.Fault.Target;
import org.phare.core.drill.Objective;
import org.phare.core.drill.Scope;
import org.phare.core.drill.Step;
import org.phare.core.drill.StopConditions;

/** A drill's timeline against the simulator, in virtual time (never wall-clock). */
@DisplayName("a drill run in simulation")
class DrillSimulationTest {
    /** phare demo's shape: hosts of 8 vCPUs over zones eu-west-2a/b/c and their two datacenters, small instances. */
    static DrillSimulation.Shape demo(int hosts, int instances) {
        List<DrillSimulation.Host> hs = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            String zone = "eu-west-2" + (char) ('a' + i % 3);
            hs.add(new DrillSimulation.Host("h-" + (i + 1), zone, zone + "-dc" + (1 + (i / 3) % 2), 8, 16_384));
        }
        List<DrillSimulation.Workload> ws = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            ws.add(new DrillSimulation.Workload("demo", "tinav5.c1r1", 1, 1024));
        }
        return new DrillSimulation.Shape("eu-west-2", hs, ws);
    }

    static Drill drill(Scope scope, List<Objective> objectives, StopConditions stop, Step... steps) {
        return new Drill("test", "", objectives, scope, Announcement.SURPRISE, stop, List.of(steps));
    }

    static final Scope ZONE_A = new Scope(null, List.of("eu-west-2a"), List.of(), List.of());

    private static DrillSimulation.Run run(Drill drill, int instances, long seed) {
        return DrillSimulation.run(new DrillSimulation.Setup(demo(6, instances), drill, null, List.of()), seed);
    }

    private static Step loseZone(long atMs, String zone, long forMs) {
        return new Step(atMs, new AgentFault(AgentAction.CRASH, new Target(null, null, zone, 0), forMs));
    }

    @Test
    @DisplayName("a lost zone: each of its instances answers again within seconds, its hosts are found dead within 5 s,"
            + " and the same seed gives the same run")
    void zoneLoss() {
        Drill d = drill(ZONE_A, List.of(new Objective.OutageWithin("back within 30 s", 30_000),
                new Objective.OutageWithin("back within 1 s", 1_000)), StopConditions.NONE, loseZone(0, "eu-west-2a", 300_000));
        DrillSimulation.Run r = run(d, 12, 5);
        assertThat(r.violations()).isEmpty();
        assertThat(r.notes()).isEmpty();
        assertThat(r.watched()).as("instances placed in eu-west-2a").isBetween(1, 11);
        assertThat(r.affected()).isEqualTo(r.watched());
        assertThat(r.unrecovered()).isZero();
        assertThat(r.outageSeconds()).allSatisfy(s -> assertThat(s).isBetween(3.0, 15.0));
        DrillSimulation.StepOutcome step = r.steps().getFirst();
        assertThat(step.hosts()).containsExactly("h-1", "h-4");
        assertThat(step.detectionSeconds()).isBetween(4.0, 5.2);
        assertThat(step.recoverySeconds()).isEqualTo(r.outageSeconds().stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                org.assertj.core.data.Offset.offset(0.2));
        assertThat(step.instancesDown()).isEqualTo(r.watched());
        assertThat(r.objectivesMet()).containsExactly(true, false);
        assertThat(run(d, 12, 5)).as("the same seed").isEqualTo(r);
    }

    @Test
    @DisplayName("agents cut off for 30 s: their copies answer until they fence themselves, then run elsewhere;"
            + " a freeze shorter than the fence costs nothing and nobody is declared dead")
    void isolationAndShortFreeze() {
        Drill cut = drill(Scope.EVERYTHING, List.of(), StopConditions.NONE,
                new Step(0, new AgentFault(AgentAction.ISOLATE, new Target(null, null, "eu-west-2a", 0), 30_000)));
        DrillSimulation.Run r = run(cut, 12, 3);
        assertThat(r.violations()).isEmpty();
        DrillSimulation.StepOutcome step = r.steps().getFirst();
        assertThat(step.instancesDown()).as("the instances of zone eu-west-2a").isPositive().isEqualTo(r.affected());
        assertThat(step.detectionSeconds()).isBetween(4.0, 5.2);
        // Fenced after 3 s without a lease, started elsewhere once declared dead after 5 s: a short outage.
        assertThat(r.outageSeconds()).filteredOn(s -> s > 0).allSatisfy(s -> assertThat(s).isBetween(1.0, 5.0));
        assertThat(r.unrecovered()).isZero();

        Drill frozen = drill(Scope.EVERYTHING, List.of(), StopConditions.NONE,
                new Step(0, new AgentFault(AgentAction.FREEZE, new Target(null, null, "eu-west-2a", 0), 2_000)));
        DrillSimulation.Run f = run(frozen, 12, 3);
        assertThat(f.affected()).isZero();
        assertThat(f.steps().getFirst().detectionSeconds()).isNull();
        assertThat(f.steps().getFirst().recoverySeconds()).isZero();
    }

    @Test
    @DisplayName("a stop condition ends the drill at the first probe beyond it, heals every fault, and no later step runs")
    void stopCondition() {
        Drill d = drill(Scope.EVERYTHING, List.of(), new StopConditions(1), loseZone(0, "eu-west-2a", 0),
                loseZone(60_000, "eu-west-2b", 60_000));
        DrillSimulation.Run r = run(d, 12, 1);
        assertThat(r.stoppedAtSeconds()).isNotNull().isLessThanOrEqualTo(0.2);
        assertThat(r.steps().get(1).hosts()).as("zone b never lost").isEmpty();
        assertThat(r.unrecovered()).isZero();
        assertThat(r.violations()).isEmpty();
    }

    @Test
    @DisplayName("the leader stopping takes no instance down; a host lost with it waits for the new leader's grace to be judged")
    void leaderStop() {
        Drill alone = drill(Scope.EVERYTHING, List.of(), StopConditions.NONE,
                new Step(0, new Fault.LeaderFault(Fault.LeaderAction.STOP, 0)), new Step(10_000, new Fault.LevelCheck(0, 1000)));
        DrillSimulation.Run r = run(alone, 12, 2);
        assertThat(r.affected()).isZero();
        assertThat(r.violations()).isEmpty();

        Drill both = drill(Scope.EVERYTHING, List.of(), StopConditions.NONE, loseZone(0, "eu-west-2a", 0),
                new Step(0, new Fault.LeaderFault(Fault.LeaderAction.STOP, 0)), new Step(0, new Fault.LevelCheck(0, 120_000)));
        DrillSimulation.Run b = run(both, 12, 2);
        double grace = (DrillSimulation.ELECTION_NANOS + 5_000_000_000L) / 1e9;
        assertThat(b.steps().getFirst().detectionSeconds()).as("not before the new leader's grace").isGreaterThanOrEqualTo(grace);
        assertThat(b.unrecovered()).isZero();
        assertThat(b.violations()).isEmpty();
    }

    /** Levels 0 to 2: a loss of transport raises to 1, 30 % absent raises to 2; operations need 3 operators at 2. */
    static Plan plan() {
        return new Plan("test", "Europe/Paris", List.of("operator", "crisis"), List.of(
                new Plan.Level(0, "normal", "none", List.of(), List.of(), List.of()),
                new Plan.Level(1, "vigilance", "at-risk", List.of(), List.of(new Plan.Trigger("transport-loss", "raise", null)),
                        List.of("09:00", "17:00")),
                new Plan.Level(2, "remote", "everyone", List.of(), List.of(new Plan.Trigger("absenteeism", "raise", 30.0)),
                        List.of("09:00", "17:00"))),
                List.of(new Plan.PlanSite("hq", "office", "paris-15", null),
                        new Plan.PlanSite("eu-west-2a-dc1", "datacenter", "pantin", "eu-west-2a")),
                List.of(new Plan.CriticalFunction("ops", "24/7 operations", List.of("operator"), List.of(1, 1, 3))));
    }

    static List<Person> roster() {
        List<Person> people = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            people.add(new Person("p" + i, "Person " + i, List.of(i <= 4 ? "operator" : "crisis"), "hq", true, true, false, "onsite"));
        }
        return people;
    }

    @Test
    @DisplayName("people faults: a loss of transport and 30 % absent raise the level as the plan says; level checks and"
            + " objectives are judged from it, and coverage from the roster")
    void people() {
        Drill d = drill(Scope.EVERYTHING, List.of(new Objective.LevelReached("level 2 within 10 min", 2, 600_000),
                        new Objective.FunctionsCovered("operations covered at 2", 2), new Objective.NoManualIntervention("nobody acts")),
                StopConditions.NONE,
                new Step(0, new Fault.TransportLost("paris-15", "strike")), new Step(0, new Fault.LevelCheck(1, 60_000)),
                new Step(300_000, new Fault.Absence(30, 7)), new Step(300_000, new Fault.LevelCheck(2, 60_000)),
                new Step(0, new Fault.LevelCheck(2, 60_000)));
        DrillSimulation.Run r = DrillSimulation.run(new DrillSimulation.Setup(demo(6, 6), d, plan(), roster()), 1);
        assertThat(r.notes()).isEmpty();
        assertThat(r.steps()).extracting(DrillSimulation.StepOutcome::checkMet).containsExactly(null, true, false, null, true);
        // 3 of 10 absent, drawn from seed 7: operations keep 3 operators or lose some, as the draw says.
        long operatorsLeft = roster().stream().filter(p -> p.roles().contains("operator"))
                .filter(p -> !org.phare.core.drill.Absences.draw(roster(), 30, 7).contains(p)).count();
        assertThat(r.objectivesMet()).containsExactly(true, operatorsLeft >= 3, null);
        assertThat(r.affected()).isZero();
    }

    @Test
    @DisplayName("a prediction over seeds pools the outages, counts the seeds that meet each objective and names the worst seed")
    void prediction() {
        Drill d = drill(ZONE_A, List.of(new Objective.OutageWithin("back within 30 s", 30_000),
                new Objective.NoManualIntervention("nobody acts")), StopConditions.NONE, loseZone(0, "eu-west-2a", 120_000));
        List<String> progress = new ArrayList<>();
        DrillPrediction p = DrillPrediction.predict(new DrillSimulation.Setup(demo(6, 12), d, null, List.of()), 10, 5, progress::add);
        assertThat(progress).hasSize(5).first().asString().startsWith("seed 10: ");
        assertThat(p.seeds()).isEqualTo(5);
        assertThat(p.cloud()).isEqualTo("6 hosts in 3 zones, 12 instances");
        assertThat(p.outage().p50Seconds()).isPositive().isLessThanOrEqualTo(p.outage().p95Seconds());
        assertThat(p.outage().p95Seconds()).isLessThanOrEqualTo(p.outage().maxSeconds());
        assertThat(p.outage().worstSeed()).isBetween(10L, 14L);
        assertThat(p.outage().unrecovered()).isZero();
        assertThat(p.objectives()).extracting(DrillPrediction.ObjectiveOutcome::metInSeeds).containsExactly(5, null);
        assertThat(p.objectives().get(1).note()).contains("nobody in the simulator could act");
        DrillPrediction.StepSummary step = p.steps().getFirst();
        assertThat(step.what()).isEqualTo("crash every host of zone eu-west-2a for 2m");
        assertThat(step.detectionP50Seconds()).isBetween(4.0, 5.2);
        assertThat(step.recoveryMaxSeconds()).isEqualTo(p.outage().maxSeconds(), org.assertj.core.data.Offset.offset(0.2));
        assertThat(p.violations()).isEmpty();
    }

    @Test
    @DisplayName("percentiles are nearest-rank: p50 of 1..4 is 2, p95 is 4, none of nothing")
    void percentiles() {
        assertThat(DrillPrediction.percentile(List.of(4.0, 1.0, 3.0, 2.0), 50)).isEqualTo(2.0);
        assertThat(DrillPrediction.percentile(List.of(4.0, 1.0, 3.0, 2.0), 95)).isEqualTo(4.0);
        assertThat(DrillPrediction.percentile(List.of(7.0), 1)).isEqualTo(7.0);
        assertThat(DrillPrediction.percentile(List.of(), 50)).isNull();
    }
}
