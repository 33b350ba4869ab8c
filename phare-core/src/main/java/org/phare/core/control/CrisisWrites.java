package org.phare.core.control;

import org.phare.core.record.ContinuityRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phare.core.continuity.Cadence;
import org.phare.core.state.CrisisCell;
import org.phare.core.continuity.Plan;
import org.phare.core.model.Host;
import org.phare.core.model.HostState;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/**
 * Decisions of the continuity plan beyond levels and the roster: sites reopened, transport lost and back, parts of
 * the cloud declared down or back (the infrastructure trigger), and the crisis cell's meetings, minutes, decisions
 * and actions. Pure functions of the state, like {@link Writes}.
 */
final class CrisisWrites {
    static final int MAX_TEXT = 2_000;
    static final int MAX_LINES_PER_MEETING = 1_000;
    static final int MAX_OPEN_ACTIONS = 1_000;
    /** Lines and actions the state keeps at most, so that it and its snapshots stay bounded. */
    static final int MAX_MINUTES = 100_000;
    static final int MAX_ACTIONS = 100_000;
    /** A part of the cloud back for less than this that goes down again is the same incident: no new trigger. */
    static final long FLAP_MS = 10 * 60_000L;

    private CrisisWrites() {
    }

    private static Decision noPlan() {
        return Decision.reject("NoPlan", "no continuity plan has been applied yet (phare plan apply)");
    }

    /** The plan's site ids that are, or lie in, {@code siteOrArea}. */
    private static List<String> sitesOf(Plan plan, String siteOrArea) {
        return plan.sites().stream().filter(s -> s.id().equals(siteOrArea) || s.area().equals(siteOrArea))
                .map(Plan.PlanSite::id).toList();
    }

    static Decision reopenSites(CloudState state, Command.ReopenSites c, long nowMs) {
        if (state.plan() == null) {
            return noPlan();
        }
        List<String> sites = sitesOf(state.plan(), c.siteOrArea());
        if (sites.isEmpty()) {
            return Decision.reject("NotFound", "no site of the plan is or lies in '" + c.siteOrArea() + "'");
        }
        List<String> closed = sites.stream().filter(state.closedSites()::containsKey).toList();
        if (closed.isEmpty()) {
            return new Decision(List.of(), Result.ok(List.of()));
        }
        return new Decision(List.of(new ContinuityRecord.SitesReopened(closed, c.by(), nowMs)), Result.ok(closed));
    }

    /** Transport lost in an area of the plan: recorded, then the plan's transport-loss triggers answer. */
    static Decision setTransport(CloudState state, Command.SetTransport c, long nowMs) {
        Plan plan = state.plan();
        if (plan == null) {
            return noPlan();
        }
        if (plan.sites().stream().noneMatch(s -> s.area().equals(c.area()))) {
            return Decision.reject("NotFound", "no site of the plan lies in the area '" + c.area() + "' (areas: "
                    + String.join(", ", plan.sites().stream().map(Plan.PlanSite::area).distinct().toList()) + ")");
        }
        if (c.lost() && (c.reason() == null || c.reason().isBlank() || c.reason().length() > ContinuityWrites.MAX_NOTE)) {
            return Decision.reject("MissingParameter", "a loss of transport needs a reason (1 to " + ContinuityWrites.MAX_NOTE + " characters)");
        }
        if (c.lost() == state.crisis().transportLost().containsKey(c.area())) {
            return new Decision(List.of(), Result.ok(c.area()));
        }
        List<Record> records = new ArrayList<>();
        records.add(new ContinuityRecord.TransportChanged(c.area(), c.lost(), c.reason(), c.by(), nowMs));
        if (c.lost()) {
            records.addAll(ContinuityWrites.triggered(state, "transport-loss", 0, "no transport in " + c.area() + ": " + c.reason(), nowMs));
        }
        return new Decision(records, Result.ok(c.area()));
    }

    /**
     * Zones and datacenter sites whose every host is dead are declared down, and back once a host is ready again;
     * a part newly down lets the plan's infrastructure triggers answer. Called after host states change; O(hosts).
     */
    static List<Record> infrastructure(CloudState state, long nowMs) {
        Map<String, int[]> parts = new LinkedHashMap<>(); // kind:id -> {hosts, dead}
        for (Host h : state.hosts().values()) {
            for (String part : List.of("zone:" + h.zone().value(), "site:" + h.site().value())) {
                int[] n = parts.computeIfAbsent(part, k -> new int[2]);
                n[0]++;
                if (h.state() == HostState.DEAD) {
                    n[1]++;
                }
            }
        }
        List<Record> records = new ArrayList<>();
        List<String> newlyDown = new ArrayList<>();
        parts.forEach((part, n) -> {
            boolean isDown = n[1] == n[0];
            ContinuityRecord.InfrastructureChanged last = state.crisis().lastChange(part);
            if (isDown == (last != null && last.down())) {
                return;
            }
            String kind = part.substring(0, part.indexOf(':'));
            String id = part.substring(kind.length() + 1);
            String detail = isDown ? "all " + n[0] + " host(s) of " + kind + " " + id + " declared dead"
                    : (n[0] - n[1]) + " of " + n[0] + " host(s) of " + kind + " " + id + " ready again";
            records.add(new ContinuityRecord.InfrastructureChanged(kind, id, isDown, detail, nowMs));
            if (isDown && (last == null || nowMs - last.atMs() >= FLAP_MS)) {
                newlyDown.add(kind + " " + id);
            }
        });
        if (!newlyDown.isEmpty() && state.plan() != null) {
            records.addAll(ContinuityWrites.triggered(state, "infrastructure", 0, "declared down by the cloud: " + String.join(", ", newlyDown), nowMs));
        }
        return records;
    }

    static Decision openMeeting(CloudState state, Command.OpenMeeting c, long nowMs) {
        Plan plan = state.plan();
        if (plan == null) {
            return noPlan();
        }
        CrisisCell cell = state.crisis();
        CrisisCell.Meeting open = cell.openMeeting();
        if (open != null) {
            return Decision.reject("Conflict", "meeting " + open.id() + " is in progress; close it first (phare crisis meeting close)");
        }
        // The nearest slot of the cadence not held yet, if one is close enough; otherwise an extraordinary meeting.
        String slot = null;
        long best = Long.MAX_VALUE;
        for (Cadence.Slot s : Cadence.slots(plan, state.levelHistory(), nowMs - Cadence.SLOT_TOLERANCE_MS, nowMs + Cadence.SLOT_TOLERANCE_MS)) {
            long distance = Math.abs(s.atMs() - nowMs);
            if (!cell.held(s.label()) && distance < best) {
                best = distance;
                slot = s.label();
            }
        }
        int id = cell.meetings().size() + 1;
        return new Decision(List.of(new ContinuityRecord.MeetingOpened(id, slot, c.by(), nowMs)), Result.ok(id));
    }

    static Decision closeMeeting(CloudState state, Command.CloseMeeting c, long nowMs) {
        CrisisCell.Meeting open = state.crisis().openMeeting();
        if (open == null) {
            return Decision.reject("Conflict", "no meeting is in progress (phare crisis meeting open)");
        }
        return new Decision(List.of(new ContinuityRecord.MeetingClosed(open.id(), c.by(), nowMs)), Result.ok(open.id()));
    }

    static Decision recordMinutes(CloudState state, Command.RecordMinutes c, long nowMs) {
        if (state.plan() == null) {
            return noPlan();
        }
        if (c.text() == null || c.text().isBlank() || c.text().length() > MAX_TEXT) {
            return Decision.reject("InvalidParameterValue", "the text is 1 to " + MAX_TEXT + " characters");
        }
        CrisisCell cell = state.crisis();
        CrisisCell.Meeting open = cell.openMeeting();
        int meeting = open == null ? 0 : open.id();
        // The meeting in progress, or the time since the last one closed, holds a bounded number of lines.
        CrisisCell.Meeting last = cell.meetings().isEmpty() ? null : cell.meetings().get(cell.meetings().size() - 1);
        long since = open != null ? open.openedAtMs() : last == null ? Long.MIN_VALUE : last.closedAtMs();
        if (cell.linesSince(since, MAX_LINES_PER_MEETING) >= MAX_LINES_PER_MEETING || cell.minutes().size() >= MAX_MINUTES) {
            return Decision.reject("LimitExceeded", (open == null ? "the time since the last meeting" : "meeting " + meeting)
                    + " already has " + MAX_LINES_PER_MEETING + " lines of minutes (or the cell " + MAX_MINUTES + " in all)");
        }
        return new Decision(List.of(new ContinuityRecord.MinutesRecorded(meeting, c.decision(), c.text().strip(), c.by(), nowMs)),
                Result.ok(meeting));
    }

    static Decision openAction(CloudState state, Command.OpenAction c, long nowMs) {
        Plan plan = state.plan();
        if (plan == null) {
            return noPlan();
        }
        if (c.text() == null || c.text().isBlank() || c.text().length() > MAX_TEXT) {
            return Decision.reject("InvalidParameterValue", "the action's text is 1 to " + MAX_TEXT + " characters");
        }
        if (c.owner() == null || !(state.staff().containsKey(c.owner()) || plan.roles().contains(c.owner()))) {
            return Decision.reject("InvalidParameterValue", "the owner must be a person of the roster (phare staff ls) or a"
                    + " role of the plan (" + String.join(", ", plan.roles()) + "), not '" + c.owner() + "'");
        }
        long due;
        try {
            due = Cadence.due(c.due(), nowMs, plan.timezone());
        } catch (IllegalArgumentException e) {
            return Decision.reject("InvalidParameterValue", e.getMessage());
        }
        Map<Integer, CrisisCell.Action> actions = state.crisis().actions();
        if (state.crisis().openActions() >= MAX_OPEN_ACTIONS || actions.size() >= MAX_ACTIONS) {
            return Decision.reject("LimitExceeded", state.crisis().openActions() + " actions are open (at most " + MAX_OPEN_ACTIONS
                    + ", and " + MAX_ACTIONS + " in all); close some first");
        }
        CrisisCell.Meeting open = state.crisis().openMeeting();
        int id = actions.size() + 1;
        return new Decision(List.of(new ContinuityRecord.ActionOpened(id, c.text().strip(), c.owner(), due, open == null ? 0 : open.id(),
                c.by(), nowMs)), Result.ok(id));
    }

    static Decision closeAction(CloudState state, Command.CloseAction c, long nowMs) {
        CrisisCell.Action a = state.crisis().actions().get(c.action());
        if (a == null) {
            return Decision.reject("NotFound", "no action " + c.action() + " (phare crisis action ls --all)");
        }
        if (c.outcome() != null && c.outcome().length() > MAX_TEXT) {
            return Decision.reject("InvalidParameterValue", "the outcome is at most " + MAX_TEXT + " characters");
        }
        if (!a.open()) {
            return new Decision(List.of(), Result.ok(a.id()));
        }
        return new Decision(List.of(new ContinuityRecord.ActionClosed(a.id(), c.outcome(), c.by(), nowMs)), Result.ok(a.id()));
    }
}
