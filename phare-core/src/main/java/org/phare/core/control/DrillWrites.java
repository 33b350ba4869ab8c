package org.phare.core.control;

import java.util.ArrayList;
import java.util.List;
import org.phare.core.drill.Drill;
import org.phare.core.drill.Fault;
import org.phare.core.record.DrillRecord;
import org.phare.core.state.CloudState;
import org.phare.core.state.DrillManager.DrillRun;

/** The writes of the drills domain: schedule, abort, the prober's report, manual interventions. */
public final class DrillWrites {
    private DrillWrites() {
    }

    /** Longest a drill may be scheduled ahead. */
    public static final long MAX_AHEAD_MS = 90L * 24 * 3_600_000;

    static Decision schedule(CloudState state, Command.ScheduleDrill c, long nowMs) {
        Drill drill = c.drill();
        List<String> problems = org.phare.core.drill.DrillCheck.problems(drill, cloudOf(state)).stream().map(Object::toString).toList();
        if (problems.isEmpty()) {
            problems = problemsNow(state, drill);
        }
        if (!problems.isEmpty()) {
            return Decision.reject("InvalidDrill", String.join("; ", problems));
        }
        for (DrillRun r : state.drills().all()) {
            if (r.pending() || r.running()) {
                return Decision.reject("DrillInProgress", r.id() + " (" + r.drill().name() + ") is " + r.status()
                        + ": one drill at a time (see: phare drill status " + r.id() + ", phare drill abort " + r.id() + ")");
            }
        }
        long startAt = c.startAtMs() <= 0 ? nowMs : c.startAtMs();
        if (startAt < nowMs - 60_000 || startAt > nowMs + MAX_AHEAD_MS) {
            return Decision.reject("InvalidParameterValue", "a drill starts between now and 90 days from now");
        }
        String id = state.drills().nextId();
        return new Decision(List.of(new DrillRecord.DrillScheduled(id, drill, startAt, c.prediction(), c.by(), nowMs)), Result.ok(id));
    }

    /**
     * What DrillCheck cannot see from the cloud's shape alone: a fault on hosts none of which is alive now, people
     * faults on an empty roster.
     */
    static List<String> problemsNow(CloudState state, Drill drill) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < drill.timeline().size(); i++) {
            Fault fault = drill.timeline().get(i).fault();
            if (fault instanceof Fault.AgentFault f && DrillRunner.targets(state, drill, f.target()).isEmpty()) {
                problems.add("timeline[" + i + "]: " + f.target().describe() + ": no live host in the drill's scope");
            }
            if ((fault instanceof Fault.Absence || fault instanceof Fault.Quarantine) && state.staff().isEmpty()) {
                problems.add("timeline[" + i + "]: people faults need a roster (phare staff import)");
            }
        }
        return problems;
    }

    /** The cloud as its state holds it: what the live runner checks a drill against before it starts. */
    static org.phare.core.drill.DrillCheck.Cloud cloudOf(CloudState state) {
        java.util.Map<String, List<String>> zones = new java.util.TreeMap<>();
        state.zones().keySet().forEach(z -> zones.put(z.value(), new ArrayList<>()));
        for (org.phare.core.model.Site s : state.sites().values()) {
            zones.computeIfAbsent(s.zone().value(), z -> new ArrayList<>()).add(s.id().value());
        }
        java.util.Map<String, String> hosts = new java.util.LinkedHashMap<>();
        for (org.phare.core.model.Host h : state.hosts().values()) {
            hosts.put(h.id().value(), h.site().value());
        }
        return new org.phare.core.drill.DrillCheck.Cloud(state.regions().keySet().stream().map(r -> r.value()).toList(), zones, hosts, state.plan());
    }

    static Decision abort(CloudState state, Command.AbortDrill c, long nowMs) {
        DrillRun run = state.drills().get(c.drill());
        if (run == null) {
            return Decision.reject("NotFound", "no drill " + c.drill() + " (see: phare drill ls)");
        }
        if (run.ended() != null) {
            return Decision.reject("DrillEnded", c.drill() + " already ended: " + run.ended().outcome());
        }
        String reason = c.reason() == null || c.reason().isBlank() ? "aborted on command" : c.reason();
        return new Decision(DrillRunner.end(state, run, "aborted", reason, c.by(), nowMs), Result.ok(c.drill()));
    }

    static Decision reportProbe(CloudState state, Command.ReportProbe c, long nowMs) {
        DrillRun run = state.drills().get(c.drill());
        if (run == null) {
            return Decision.reject("NotFound", "no drill " + c.drill());
        }
        if (run.started() == null) {
            return Decision.reject("DrillNotStarted", c.drill() + " has not started: nothing was probed");
        }
        if (c.outages().size() > 100_000 || c.watched() < 0 || c.probes() < 0) {
            return Decision.reject("InvalidParameterValue", "at most 100,000 outages, and counts are not negative");
        }
        return new Decision(List.of(new DrillRecord.DrillProbed(c.drill(), c.watched(), c.probes(), c.outages(), c.by(), nowMs)),
                Result.ok(c.drill()));
    }

    static Decision noteIntervention(CloudState state, Command.NoteIntervention c, long nowMs) {
        DrillRun run = state.drills().running();
        if (run == null) {
            return new Decision(List.of(), Result.ok(null));
        }
        return new Decision(List.of(new DrillRecord.DrillIntervention(run.id(), c.who(), c.role(), c.action(), nowMs)), Result.ok(run.id()));
    }

    /**
     * Each finding of the drill's report becomes an action of the crisis cell, with its owner (a role of the plan, or
     * the crisis cell when the plan has no such role) and due date, so that the cell tracks it like any other; a
     * finding already opened is not opened twice. @return the ids of the actions opened
     */
    static Decision openFindings(CloudState state, Command.OpenDrillFindings c, long nowMs) {
        DrillRun run = state.drills().get(c.drill());
        if (run == null) {
            return Decision.reject("NotFound", "no drill " + c.drill() + " (see: phare drill ls)");
        }
        if (run.ended() == null) {
            return Decision.reject("DrillNotEnded", c.drill() + " is " + run.status() + ": its findings are known once it ends");
        }
        if (state.plan() == null) {
            return Decision.reject("NoPlan", "no continuity plan has been applied yet (phare plan apply): the crisis cell has no actions");
        }
        java.util.Set<String> open = new java.util.HashSet<>();
        state.crisis().actions().values().forEach(a -> open.add(a.text()));
        var meeting = state.crisis().openMeeting();
        int id = state.crisis().actions().size() + 1;
        List<org.phare.core.record.Record> records = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (var f : org.phare.core.report.DrillReport.of(state, run, nowMs).findings()) {
            String text = c.drill() + ": " + f.text() + " — " + f.action();
            text = text.length() > 500 ? text.substring(0, 497) + "..." : text;
            if (open.add(text)) {
                String owner = state.plan().roles().contains(f.owner()) ? f.owner() : state.plan().roles().contains("crisis") ? "crisis"
                        : state.plan().roles().getFirst();
                records.add(new org.phare.core.record.ContinuityRecord.ActionOpened(id, text, owner, f.dueMs(),
                        meeting == null ? 0 : meeting.id(), c.by(), nowMs));
                ids.add(id++);
            }
        }
        if (state.crisis().openActions() + ids.size() > 1_000) {
            return Decision.reject("LimitExceeded", "the crisis cell has too many open actions; close some first");
        }
        return new Decision(records, Result.ok(ids));
    }
}
