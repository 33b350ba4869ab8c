package org.phare.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.core.CloudFixture.C1R2;
import static org.phare.core.CloudFixture.ZONE_A;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.ContinuityFixture;
import org.phare.core.ControlledCloud;
import org.phare.core.FakeAgent;
import org.phare.core.drill.Announcement;
import org.phare.core.drill.Drill;
import org.phare.core.drill.Fault;
import org.phare.core.drill.Objective;
import org.phare.core.drill.Outage;
import org.phare.core.drill.Scope;
import org.phare.core.drill.Step;
import org.phare.core.drill.StopConditions;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.record.DrillRecord;
import org.phare.core.record.Record;
import org.phare.core.report.DrillReport;
import org.phare.core.state.CloudState;
import org.phare.core.state.DrillManager.DrillRun;

@DisplayName("drills run on the leader from the log: faults told to agents, people put back, a report from the records")
class DrillRunnerTest {
    private final ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig()
            .withDrillSettle(Duration.ofSeconds(10)), 2);

    @BeforeEach
    void formatThree() {
        assertThat(cloud.submit(new Command.RaiseLogFormat(3, "operator"))).isEqualTo(Result.ok(3));
    }

    private static Drill zoneLoss(int maxDown) {
        return new Drill("zone-loss", "a zone lost", List.of(new Objective.OutageWithin("back within 30 s", 30_000),
                new Objective.NoManualIntervention("nobody acts")), Scope.EVERYTHING, Announcement.SURPRISE,
                new StopConditions(maxDown), List.of(new Step(0, new Fault.AgentFault(Fault.AgentAction.CRASH,
                new Fault.Target(null, null, ZONE_A.value(), 0), 0))));
    }

    private String schedule(Drill drill) {
        Result r = cloud.submit(new Command.ScheduleDrill(drill, 0, null, "operator"));
        assertThat(r).isInstanceOf(Result.Ok.class);
        return (String) ((Result.Ok) r).value();
    }

    private DrillRun run(String id) {
        return cloud.state().drills().get(id);
    }

    @Test
    @DisplayName("a zone crashed by a drill: its agents kill their copies and fall silent, the instances run elsewhere, the drill"
            + " ends after its settle time, the crashed agents come back empty, and replay gives the same state")
    void zoneCrash() {
        List<InstanceId> ids = cloud.run(C1R2, null, 6, 0);
        cloud.runFor(Duration.ofSeconds(3));
        Set<String> inA = new HashSet<>();
        ids.forEach(i -> {
            if (cloud.instance(i).zone().equals(ZONE_A)) {
                inA.add(i.value());
            }
        });
        assertThat(inA).isNotEmpty();

        String id = schedule(zoneLoss(0));
        cloud.runFor(Duration.ofSeconds(2));
        DrillRun run = run(id);
        assertThat(run.status()).isEqualTo("running");
        assertThat(run.started().watched()).hasSize(6);
        assertThat(run.step(0).targets()).containsExactlyInAnyOrderElementsOf(
                cloud.agents(ZONE_A).stream().map(a -> a.host().value()).toList());
        for (FakeAgent a : cloud.agents(ZONE_A)) {
            assertThat(a.silent()).as("%s silenced by the crash", a.host()).isTrue();
            assertThat(a.running()).as("%s killed its copies", a.host()).isEmpty();
        }
        cloud.runUntil(c -> ids.stream().allMatch(i -> c.instance(i).state() == InstanceState.RUNNING
                && !c.instance(i).zone().equals(ZONE_A)), Duration.ofSeconds(60), "every instance running out of the lost zone");
        assertThat(run(id).ended()).as("still settling").isNull();

        cloud.runFor(Duration.ofSeconds(12));
        DrillRun ended = run(id);
        assertThat(ended.status()).isEqualTo("completed");
        cloud.runFor(Duration.ofSeconds(3));
        for (FakeAgent a : cloud.agents(ZONE_A)) {
            assertThat(a.silent()).as("%s healed when the drill ended", a.host()).isFalse();
            assertThat(cloud.state().host(a.host()).state().name()).isEqualTo("READY");
        }
        assertThat(ended.steps()).hasSize(1);

        // The report, before and after the prober's figures.
        DrillReport report = DrillReport.of(cloud.state(), ended, cloud.clock().epochMillis());
        assertThat(report.objectives().get(0).met()).as("no prober report yet").isNull();
        assertThat(report.objectives().get(1).met()).isTrue();
        assertThat(report.failovers()).hasSize(inA.size());
        long t = ended.started().atMs();
        List<Outage> seen = inA.stream().map(i -> new Outage(i, t, t + 8_000, true)).toList();
        assertThat(cloud.submit(new Command.ReportProbe(id, 6, 600, seen, "operator"))).isInstanceOf(Result.Ok.class);
        report = DrillReport.of(cloud.state(), run(id), cloud.clock().epochMillis());
        assertThat(report.outage().instances()).isEqualTo(inA.size());
        assertThat(report.outage().maxSeconds()).isEqualTo(8.0);
        assertThat(report.objectives().get(0).met()).isTrue();
        assertThat(cloud.submit(new Command.ReportProbe(id, 6, 600, List.of(new Outage(ids.getFirst().value(), t, t + 31_000, true)),
                "operator"))).isInstanceOf(Result.Ok.class);
        report = DrillReport.of(cloud.state(), run(id), cloud.clock().epochMillis());
        assertThat(report.objectives().get(0).met()).as("31 s > 30 s").isFalse();
        assertThat(report.findings()).anySatisfy(f -> assertThat(f.text()).contains("back within 30 s"));

        assertThat(cloud.replayed().differences(cloud.state())).isEmpty();
        assertThat(CloudState.restore(cloud.state().snapshot()).differences(cloud.state())).isEmpty();
    }

    @Test
    @DisplayName("a drill is refused before log format 3, one runs at a time, and a new controller carries it on without repeating a step")
    void gateOneAtATimeAndFailover() {
        ControlledCloud old = ControlledCloud.start(ControlledCloud.defaultConfig(), 1);
        Result refused = old.submit(new Command.ScheduleDrill(zoneLoss(0), 0, null, "operator"));
        assertThat(refused).isInstanceOfSatisfying(Result.Rejected.class, r -> assertThat(r.code()).isEqualTo("LogFormatTooOld"));

        cloud.run(C1R2, null, 4, 0);
        cloud.runFor(Duration.ofSeconds(3));
        Drill twoSteps = new Drill("two", "", List.of(), Scope.EVERYTHING, Announcement.SURPRISE, null, List.of(
                new Step(0, new Fault.AgentFault(Fault.AgentAction.ISOLATE, new Fault.Target(null, null, ZONE_A.value(), 1), 2_000)),
                new Step(5_000, new Fault.AgentFault(Fault.AgentAction.ISOLATE, new Fault.Target(null, null, "eu-west-2b", 1), 2_000))));
        String id = schedule(twoSteps);
        assertThat(cloud.submit(new Command.ScheduleDrill(twoSteps, 0, null, "operator")))
                .isInstanceOfSatisfying(Result.Rejected.class, r -> assertThat(r.code()).isEqualTo("DrillInProgress"));
        cloud.runFor(Duration.ofSeconds(2));
        assertThat(run(id).steps()).hasSize(1);
        cloud.restartController(); // a new leader, from the committed log
        cloud.runFor(Duration.ofSeconds(6));
        DrillRun run = run(id);
        assertThat(run.steps()).extracting(DrillRecord.DrillStepDone::step).containsExactly(0, 1);
        cloud.runFor(Duration.ofSeconds(20));
        assertThat(run(id).status()).isEqualTo("completed");
        assertThat(cloud.agents()).allSatisfy(a -> assertThat(a.silent()).isFalse());
    }

    @Test
    @DisplayName("people faults: absences drawn from the seed, a closure and a transport loss; an abort puts everything back and"
            + " judges the open check as not met")
    void peopleAndAbort() {
        cloud.submit(new Command.ApplyPlan(ContinuityFixture.plan(), "cell", null));
        cloud.submit(new Command.ImportRoster(ContinuityFixture.roster(), "hr"));
        Drill people = new Drill("people", "", List.of(new Objective.FunctionsCovered("ops covered at level 2", 2)),
                Scope.EVERYTHING, new Announcement(86_400_000), null, List.of(
                new Step(0, new Fault.Absence(67, 7)),
                new Step(0, new Fault.ClosureOrder("pantin", "prefect's order 12")),
                new Step(0, new Fault.TransportLost("paris-15", "strike")),
                new Step(0, new Fault.LevelCheck(1, 60_000)),
                new Step(600_000, new Fault.LevelCheck(0, 1_000))));
        String id = schedule(people);
        cloud.runFor(Duration.ofSeconds(2));
        DrillRun run = run(id);
        assertThat(run.step(0).targets()).hasSize(org.phare.core.drill.Absences.count(3, 67)).hasSize(3); // rounded up
        run.step(0).targets().forEach(p -> assertThat(cloud.state().staff().get(p).status()).isEqualTo("absent"));
        assertThat(cloud.state().closedSites()).containsKey("dc-a");
        assertThat(cloud.state().crisis().transportLost()).containsKey("paris-15");
        assertThat(cloud.state().level()).as("the plan's transport-loss trigger answered").isEqualTo(1);
        assertThat(run.check(3)).as("level 1 reached").isNotNull().satisfies(c -> assertThat(c.met()).isTrue());

        assertThat(cloud.submit(new Command.AbortDrill(id, "a real incident", "operator"))).isEqualTo(Result.ok(id));
        DrillRun aborted = run(id);
        assertThat(aborted.status()).isEqualTo("aborted");
        assertThat(aborted.ended().reason()).isEqualTo("a real incident");
        assertThat(cloud.state().staff().values()).allSatisfy(p -> assertThat(p.status()).isEqualTo("onsite"));
        assertThat(cloud.state().closedSites()).isEmpty();
        assertThat(cloud.state().crisis().transportLost()).isEmpty();
        assertThat(aborted.step(4)).as("never reached").isNull();
        assertThat(cloud.submit(new Command.AbortDrill(id, null, "operator")))
                .isInstanceOfSatisfying(Result.Rejected.class, r -> assertThat(r.code()).isEqualTo("DrillEnded"));
        // Its finding (ops not covered at level 2 with two of three people absent) becomes an action of the cell, once.
        Result opened = cloud.submit(new Command.OpenDrillFindings(id, "cell"));
        assertThat(opened).isInstanceOf(Result.Ok.class);
        assertThat(cloud.state().crisis().actions().values()).anySatisfy(a -> assertThat(a.text()).startsWith(id + ": "));
        int actions = cloud.state().crisis().actions().size();
        assertThat(cloud.submit(new Command.OpenDrillFindings(id, "cell"))).isEqualTo(Result.ok(List.of()));
        assertThat(cloud.state().crisis().actions()).hasSize(actions);
        assertThat(cloud.replayed().differences(cloud.state())).isEmpty();
    }

    @Test
    @DisplayName("a stop condition ends the drill once more watched instances are down than it allows; interventions are counted")
    void stopConditionAndInterventions() {
        cloud.run(C1R2, null, 6, 0);
        cloud.runFor(Duration.ofSeconds(3));
        String id = schedule(zoneLoss(1));
        cloud.runFor(Duration.ofMillis(300));
        assertThat(cloud.submit(new Command.NoteIntervention("ann", "operator", "POST /v1/hosts/h/drain"))).isEqualTo(Result.ok(id));
        cloud.runFor(Duration.ofSeconds(15));
        DrillRun run = run(id);
        assertThat(run.status()).isEqualTo("stopped");
        assertThat(run.ended().reason()).contains("more than the limit of 1");
        assertThat(run.interventionCount()).isEqualTo(1);
        DrillReport report = DrillReport.of(cloud.state(), run, cloud.clock().epochMillis());
        assertThat(report.objectives().get(1).met()).isFalse();
        List<Record> none = cloud.log().stream().filter(r -> r instanceof DrillRecord.DrillIntervention).toList();
        assertThat(none).hasSize(1);
        assertThat(cloud.submit(new Command.NoteIntervention("ann", "operator", "POST x"))).isEqualTo(Result.ok(null));
    }

    @Test
    @DisplayName("an announced drill is in the situation report from its announcement on; a surprise only once it runs")
    void announcedInTheSitrep() {
        cloud.submit(new Command.ApplyPlan(ContinuityFixture.plan(), "cell", null));
        long t0 = cloud.clock().epochMillis();
        Drill announced = new Drill("seed", "", List.of(), Scope.EVERYTHING, new Announcement(86_400_000), null,
                List.of(new Step(0, new Fault.LevelCheck(1, 60_000))));
        Result r = cloud.submit(new Command.ScheduleDrill(announced, t0 + 2 * 86_400_000L, null, "operator"));
        assertThat(r).as("%s", r).isInstanceOf(Result.Ok.class);
        String id = (String) ((Result.Ok) r).value();
        assertThat(org.phare.core.report.Sitrep.of(cloud.state(), t0).exercises()).as("two days ahead").isEmpty();
        assertThat(org.phare.core.report.Sitrep.of(cloud.state(), t0 + 86_400_000L + 1).exercises())
                .singleElement().satisfies(e -> assertThat(e.id()).isEqualTo(id));
        assertThat(cloud.submit(new Command.AbortDrill(id, "cancelled", "operator"))).isEqualTo(Result.ok(id));

        Drill surprise = new Drill("surprise", "", List.of(), Scope.EVERYTHING, Announcement.SURPRISE, null,
                List.of(new Step(0, new Fault.LevelCheck(1, 60_000))));
        String sid = (String) ((Result.Ok) cloud.submit(new Command.ScheduleDrill(surprise, t0 + 60_000, null, "operator"))).value();
        assertThat(org.phare.core.report.Sitrep.of(cloud.state(), t0 + 59_000).exercises()).isEmpty();
        cloud.runFor(Duration.ofSeconds(61));
        assertThat(org.phare.core.report.Sitrep.of(cloud.state(), cloud.clock().epochMillis()).exercises())
                .singleElement().satisfies(e -> assertThat(e.id()).isEqualTo(sid));
    }
}
