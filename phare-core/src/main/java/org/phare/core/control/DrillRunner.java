package org.phare.core.control;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.phare.core.continuity.Coverage;
import org.phare.core.continuity.Person;
import org.phare.core.drill.Drill;
import org.phare.core.drill.Fault;
import org.phare.core.drill.Objective;
import org.phare.core.drill.Step;
import org.phare.core.model.DesiredState;
import org.phare.core.model.Host;
import org.phare.core.model.HostState;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceState;
import org.phare.core.record.DrillRecord;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;
import org.phare.core.state.DrillManager.DrillRun;

/**
 * Runs drills on the leader, from the committed state alone: a new leader carries on where the last one stopped.
 * Each call decides the next thing to do (start a drill that is due, carry out a step whose offset has come, judge a
 * check, stop or end the drill) and returns its records, or none; the controller emits them and asks again, a bounded
 * number of times per tick. Faults on agents and on the leader are carried out by whoever reads the step's record
 * (an agent told in its heartbeat's reply, the leader on commit); faults on people are records of the continuity
 * domain, written through the same writes as a person's would be, and put back when the drill ends.
 */
public final class DrillRunner {
    private DrillRunner() {
    }

    /** The next records a drill needs now, or an empty list. {@code settleMs}: how long a drill watches after its last step ends. */
    static List<Record> next(CloudState state, long nowMs, long settleMs) {
        DrillRun run = state.drills().running();
        if (run == null) {
            for (DrillRun r : state.drills().all()) {
                if (r.pending() && r.scheduled().startAtMs() <= nowMs) {
                    return List.of(new DrillRecord.DrillStarted(r.id(), watched(state, r.drill()), nowMs));
                }
            }
            return List.of();
        }
        Drill drill = run.drill();
        long startedAt = run.started().atMs();
        int max = drill.stop().maxInstancesDown();
        if (max > 0) {
            int down = down(state, run);
            if (down > max) {
                return end(state, run, "stopped", down + " watched instances down at once, more than the limit of " + max,
                        "drill", nowMs);
            }
        }
        for (int i = 0; i < drill.timeline().size(); i++) {
            Step step = drill.timeline().get(i);
            if (run.step(i) == null && nowMs - startedAt >= step.atMs()) {
                return carryOut(state, run, i, step.fault(), nowMs);
            }
        }
        for (int i = 0; i < drill.timeline().size(); i++) {
            DrillRecord.DrillStepDone done = run.step(i);
            if (done != null && drill.timeline().get(i).fault() instanceof Fault.LevelCheck c && run.check(i) == null) {
                if (state.level() >= c.level()) {
                    return List.of(new DrillRecord.DrillCheckJudged(run.id(), i, true, "level " + state.level() + " after "
                            + seconds(nowMs - done.atMs()), nowMs));
                }
                if (nowMs - done.atMs() >= c.withinMs()) {
                    return List.of(new DrillRecord.DrillCheckJudged(run.id(), i, false, "level " + state.level() + " after "
                            + seconds(nowMs - done.atMs()) + ", not " + c.level(), nowMs));
                }
            }
        }
        if (nowMs - startedAt >= drill.durationMs() + settleMs) {
            return end(state, run, "completed", "the timeline ran out", "drill", nowMs);
        }
        return List.of();
    }

    /** The instances a drill watches: running or meant to run, of its tenants, on a host in its scope, when it starts. */
    static List<String> watched(CloudState state, Drill drill) {
        List<String> ids = new ArrayList<>();
        for (Instance i : state.instances().values()) {
            Host h = i.host() == null ? null : state.host(i.host());
            if (i.desired() == DesiredState.RUNNING && h != null && drill.scope().coversTenant(i.tenant().value())
                    && drill.scope().coversHost(h.zone().value(), h.site().value())) {
                ids.add(i.id().value());
            }
        }
        ids.sort(null);
        return ids;
    }

    /** Watched instances meant to run that do not run now. */
    static int down(CloudState state, DrillRun run) {
        int down = 0;
        for (String id : run.started().watched()) {
            Instance i = state.instance(new org.phare.core.model.InstanceId(id));
            if (i != null && i.desired() == DesiredState.RUNNING && i.state() != InstanceState.RUNNING) {
                down++;
            }
        }
        return down;
    }

    private static List<Record> carryOut(CloudState state, DrillRun run, int index, Fault fault, long nowMs) {
        String by = "drill " + run.id();
        List<Record> records = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        List<String> previous = new ArrayList<>();
        String detail;
        switch (fault) {
            case Fault.AgentFault f -> {
                List<Host> hosts = targets(state, run.drill(), f.target());
                hosts.forEach(h -> targets.add(h.id().value()));
                int instances = hosts.stream().mapToInt(h -> state.instancesOn(h.id()).size()).sum();
                detail = f.action().name().toLowerCase(java.util.Locale.ROOT) + " " + f.target().describe() + ": "
                        + (hosts.isEmpty() ? "no such host ready" : String.join(", ", targets) + " (" + instances + " instances)")
                        + (f.forMs() > 0 ? " for " + seconds(f.forMs()) : " until the drill ends");
            }
            case Fault.LeaderFault f -> detail = "the leader is told to " + f.action().name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ') + (f.forMs() > 0 ? " for " + seconds(f.forMs()) : "");
            case Fault.Absence f -> {
                List<Person> roster = state.staff().values().stream().sorted(Comparator.comparing(Person::id)).toList();
                // The same people as the prediction draws (Absences): those already out stay as they are.
                for (Person p : org.phare.core.drill.Absences.draw(roster, f.percent(), f.seed())) {
                    if (!p.unavailable()) {
                        targets.add(p.id());
                        previous.add(p.status());
                    }
                }
                detail = targets.size() + " of " + roster.size() + " people absent (" + f.percent() + " % drawn with seed " + f.seed() + ")";
                statuses(state, targets, "absent", by, nowMs, records);
            }
            case Fault.Quarantine f -> {
                for (Person p : state.staff().values().stream().sorted(Comparator.comparing(Person::id)).toList()) {
                    if (!p.unavailable() && p.roles().stream().anyMatch(f.roles()::contains)) {
                        targets.add(p.id());
                        previous.add(p.status());
                    }
                }
                detail = targets.size() + " people holding " + String.join(", ", f.roles()) + " quarantined";
                statuses(state, targets, "quarantined", by, nowMs, records);
            }
            case Fault.ClosureOrder f -> {
                Decision d = ContinuityWrites.closeSites(state, new Command.CloseSites(f.siteOrArea(), f.order(), by), nowMs);
                detail = outcome(d, "order closing " + f.siteOrArea() + ": " + f.order());
                if (!d.records().isEmpty()) {
                    targets.add(f.siteOrArea());
                    records.addAll(d.records());
                }
            }
            case Fault.TransportLost f -> {
                Decision d = CrisisWrites.setTransport(state, new Command.SetTransport(f.area(), true, f.reason(), by), nowMs);
                detail = outcome(d, "no public transport in " + f.area() + ": " + f.reason());
                if (!d.records().isEmpty()) {
                    targets.add(f.area());
                    records.addAll(d.records());
                }
            }
            case Fault.LevelCheck f -> detail = "check: level " + f.level() + " or more within " + seconds(f.withinMs());
        }
        records.addFirst(new DrillRecord.DrillStepDone(run.id(), index, targets, previous, detail, nowMs));
        return records;
    }

    private static String outcome(Decision d, String what) {
        return d.result() instanceof Result.Rejected r ? what + " — not carried out: " + r.message() : what;
    }

    /** People set to a status, then the plan's absenteeism trigger on the share out once they all are. */
    private static void statuses(CloudState state, List<String> people, String status, String by, long nowMs, List<Record> records) {
        for (String p : people) {
            records.add(new org.phare.core.record.ContinuityRecord.StaffStatusSet(p, status, by, nowMs));
        }
        records.addAll(ContinuityWrites.absenteeism(state, people.size(), nowMs));
    }

    /** The hosts a target names, ready and in scope; {@code count} of them (the most loaded first) when it says so. */
    static List<Host> targets(CloudState state, Drill drill, Fault.Target t) {
        List<Host> hosts = new ArrayList<>();
        for (Host h : state.hosts().values()) {
            boolean named = t.host() != null ? h.id().value().equals(t.host())
                    : t.site() != null ? h.site().value().equals(t.site())
                    : t.zone() == null || h.zone().value().equals(t.zone());
            if (named && h.state() != HostState.DEAD && drill.scope().coversHost(h.zone().value(), h.site().value())) {
                hosts.add(h);
            }
        }
        hosts.sort(Comparator.<Host>comparingInt(h -> -state.instancesOn(h.id()).size()).thenComparing(h -> h.id().value()));
        return t.count() > 0 && hosts.size() > t.count() ? List.copyOf(hosts.subList(0, t.count())) : hosts;
    }

    /**
     * The records that end a drill: checks not judged are not met, the coverage the objectives ask for is counted as
     * the drill left the roster, then people and places are put back as they were and the drill ends. Agent faults
     * heal by the end itself (an agent's order holds only while its drill runs).
     */
    static List<Record> end(CloudState state, DrillRun run, String outcome, String reason, String by, long nowMs) {
        List<Record> records = new ArrayList<>();
        Drill drill = run.drill();
        if (run.started() != null) {
            for (int i = 0; i < drill.timeline().size(); i++) {
                if (drill.timeline().get(i).fault() instanceof Fault.LevelCheck c && run.step(i) != null && run.check(i) == null) {
                    records.add(new DrillRecord.DrillCheckJudged(run.id(), i, state.level() >= c.level(), "level "
                            + state.level() + " when the drill ended (" + outcome + ")", nowMs));
                }
            }
        }
        List<String> uncovered = new ArrayList<>();
        if (state.plan() != null) {
            Set<Integer> levels = new HashSet<>();
            for (Objective o : drill.objectives()) {
                if (o instanceof Objective.FunctionsCovered f && levels.add(f.level())) {
                    Coverage.Report report = Coverage.compute(state.plan(), List.copyOf(state.staff().values()), f.level(),
                            new Coverage.Scenario(0, 0, state.closedSites().keySet(), false, state.crisis().transportLost().keySet()));
                    report.functions().stream().filter(fc -> fc.gap() > 0).forEach(fc -> uncovered.add(
                            "level " + f.level() + ": " + fc.id() + " short of " + fc.gap()));
                }
            }
        }
        String healer = "drill " + run.id();
        for (DrillRecord.DrillStepDone done : run.steps()) {
            Fault fault = drill.timeline().get(done.step()).fault();
            switch (fault) {
                case Fault.Absence a -> putBack(state, done, "absent", healer, nowMs, records);
                case Fault.Quarantine q -> putBack(state, done, "quarantined", healer, nowMs, records);
                case Fault.ClosureOrder c when !done.targets().isEmpty() ->
                        records.addAll(CrisisWrites.reopenSites(state, new Command.ReopenSites(c.siteOrArea(), healer), nowMs).records());
                case Fault.TransportLost t when !done.targets().isEmpty() ->
                        records.addAll(CrisisWrites.setTransport(state, new Command.SetTransport(t.area(), false, null, healer), nowMs).records());
                default -> { }
            }
        }
        records.add(new DrillRecord.DrillEnded(run.id(), outcome, reason, uncovered, by, nowMs));
        return records;
    }

    /** Each person the drill set to {@code status} and still so gets back the status they had. */
    private static void putBack(CloudState state, DrillRecord.DrillStepDone done, String status, String by, long nowMs,
                                List<Record> records) {
        for (int i = 0; i < done.targets().size(); i++) {
            Person p = state.staff().get(done.targets().get(i));
            if (p != null && p.status().equals(status) && i < done.previous().size()) {
                records.add(new org.phare.core.record.ContinuityRecord.StaffStatusSet(p.id(), done.previous().get(i), by, nowMs));
            }
        }
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
