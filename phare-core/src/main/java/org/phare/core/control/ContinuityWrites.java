package org.phare.core.control;

import org.phare.core.record.ContinuityRecord;
import java.util.ArrayList;
import java.util.List;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/**
 * Writes of the continuity plan: plan versions, the roster and staff status, alert levels, site closures, trigger recommendations (the crisis cell's are in {@link CrisisWrites}).
 *
 * <p>Pure: {@code (state, command, now) -> (records, result)}; they validate, decide and return the records to
 * append, never changing the state (the caller replays the records once committed).
 */
public final class ContinuityWrites {

    private ContinuityWrites() {}

    public static final int MAX_NOTE = 500;

    /** A valid plan different from the current one becomes the next version; the same plan again changes nothing. */
    public static Decision applyPlan(CloudState state, Command.ApplyPlan c, long nowMs) {
        List<org.phare.core.continuity.PlanCheck.Problem> problems = org.phare.core.continuity.PlanCheck.problems(c.plan());
        if (!problems.isEmpty()) {
            return Decision.reject("InvalidPlan", problems.size() + " problem(s): " + String.join("; ",
                    problems.stream().limit(20).map(Object::toString).toList()));
        }
        if (c.note() != null && c.note().length() > MAX_NOTE) {
            return Decision.reject("InvalidParameterValue", "a note is at most " + MAX_NOTE + " characters");
        }
        if (state.level() >= c.plan().levels().size()) {
            return Decision.reject("Conflict", "the alert level is " + state.level() + ", which this plan does not have;"
                    + " lower the level first (phare level set)");
        }
        if (c.plan().equals(state.plan())) {
            return new Decision(List.of(), Result.ok(state.planVersion()));
        }
        int version = state.planVersion() + 1;
        return new Decision(List.of(new ContinuityRecord.PlanApplied(version, c.plan(), c.by(), c.note(), nowMs)), Result.ok(version));
    }

    /** A new alert level, with the actions it implies; the same level again changes nothing. */
    public static Decision setLevel(CloudState state, Command.SetLevel c, long nowMs) {
        org.phare.core.continuity.Plan plan = state.plan();
        if (plan == null) {
            return Decision.reject("NoPlan", "no continuity plan has been applied yet (phare plan apply)");
        }
        if (c.level() < 0 || c.level() >= plan.levels().size()) {
            return Decision.reject("InvalidParameterValue", "the plan has levels 0 to " + (plan.levels().size() - 1) + ", not " + c.level());
        }
        if (c.reason() == null || c.reason().isBlank() || c.reason().length() > MAX_NOTE) {
            return Decision.reject("MissingParameter", "a level change needs a reason (1 to " + MAX_NOTE + " characters)");
        }
        if (c.level() == state.level()) {
            return new Decision(List.of(), Result.ok(state.level()));
        }
        org.phare.core.continuity.LevelChange actions = org.phare.core.continuity.LevelChange.of(plan,
                List.copyOf(state.staff().values()), state.level(), c.level(), nowMs);
        return new Decision(List.of(new ContinuityRecord.LevelChanged(state.level(), c.level(), c.by(), c.reason(),
                c.trigger() == null ? "manual" : c.trigger(), actions, nowMs)), Result.ok(c.level()));
    }

    /** Closes the plan's sites named (by id or area) and lets the plan's closure-order triggers answer. */
    public static Decision closeSites(CloudState state, Command.CloseSites c, long nowMs) {
        org.phare.core.continuity.Plan plan = state.plan();
        if (plan == null) {
            return Decision.reject("NoPlan", "no continuity plan has been applied yet (phare plan apply)");
        }
        if (c.order() == null || c.order().isBlank() || c.order().length() > MAX_NOTE) {
            return Decision.reject("MissingParameter", "a closure needs the order's text (1 to " + MAX_NOTE + " characters)");
        }
        List<String> sites = plan.sites().stream()
                .filter(s -> s.id().equals(c.siteOrArea()) || s.area().equals(c.siteOrArea()))
                .map(org.phare.core.continuity.Plan.PlanSite::id).toList();
        if (sites.isEmpty()) {
            return Decision.reject("NotFound", "no site of the plan is or lies in '" + c.siteOrArea() + "'");
        }
        List<Record> records = new ArrayList<>();
        records.add(new ContinuityRecord.SitesClosed(sites, c.order(), c.by(), nowMs));
        records.addAll(triggered(state, "closure-order", 0, "order: " + c.order() + " (" + String.join(", ", sites) + ")", nowMs));
        return new Decision(records, Result.ok(sites));
    }

    /**
     * The plan's absenteeism trigger once {@code newlyOut} more people are absent or quarantined: the share of the
     * roster out, against the plan's thresholds. None without a plan.
     */
    static List<Record> absenteeism(CloudState state, int newlyOut, long nowMs) {
        if (state.plan() == null || newlyOut <= 0) {
            return List.of();
        }
        long out = state.staff().values().stream().filter(org.phare.core.continuity.Person::unavailable).count() + newlyOut;
        double share = 100.0 * out / state.staff().size();
        return triggered(state, "absenteeism", share,
                String.format(java.util.Locale.ROOT, "%.1f %% of the roster absent or quarantined", share), nowMs);
    }

    /** The records a trigger of the plan adds: a level change (raise) or a recommendation, or none. */
    static List<Record> triggered(CloudState state, String kind, double absentPercent, String detail, long nowMs) {
        org.phare.core.continuity.Triggers.Outcome o = org.phare.core.continuity.Triggers.evaluate(state.plan(), state.level(),
                kind, absentPercent);
        return switch (o.action()) {
            case "raise" -> List.of(new ContinuityRecord.LevelChanged(state.level(), o.level(), "trigger", detail, kind,
                    org.phare.core.continuity.LevelChange.of(state.plan(), List.copyOf(state.staff().values()), state.level(),
                            o.level(), nowMs), nowMs));
            case "recommend" -> alreadyRecommended(state, o.level(), kind) ? List.of()
                    : List.of(new ContinuityRecord.LevelRecommended(o.level(), kind, detail, nowMs));
            default -> List.of();
        };
    }

    /** The same trigger already recommends this level since the level last changed: say it once. */
    private static boolean alreadyRecommended(CloudState state, int level, String kind) {
        List<ContinuityRecord.LevelChanged> history = state.levelHistory();
        long changedAt = history.isEmpty() ? Long.MIN_VALUE : history.get(history.size() - 1).atMs();
        List<ContinuityRecord.LevelRecommended> all = state.recommendations();
        for (int i = all.size() - 1; i >= 0 && all.get(i).atMs() >= changedAt; i--) {
            if (all.get(i).level() == level && all.get(i).trigger().equals(kind)) {
                return true;
            }
        }
        return false;
    }

    public static final int MAX_ROSTER = 100_000;

    public static Decision importRoster(Command.ImportRoster c, long nowMs) {
        if (c.people().isEmpty() || c.people().size() > MAX_ROSTER) {
            return Decision.reject("InvalidParameterValue", "a roster holds 1 to " + MAX_ROSTER + " people, got " + c.people().size());
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (org.phare.core.continuity.Person p : c.people()) {
            if (!ids.add(p.id())) {
                return Decision.reject("InvalidParameterValue", "person " + p.id() + " appears twice");
            }
        }
        return new Decision(List.of(new ContinuityRecord.RosterImported(c.people(), c.by(), nowMs)), Result.ok(c.people().size()));
    }

    public static Decision setStaffStatus(CloudState state, Command.SetStaffStatus c, long nowMs) {
        org.phare.core.continuity.Person p = state.staff().get(c.person());
        if (p == null) {
            return Decision.reject("NotFound", "person " + c.person() + " is not on the roster (see: phare staff ls)");
        }
        if (!org.phare.core.continuity.Person.STATUSES.contains(c.status())) {
            return Decision.reject("InvalidParameterValue", "status must be one of "
                    + String.join(", ", org.phare.core.continuity.Person.STATUSES) + ", got '" + c.status() + "'");
        }
        if (p.status().equals(c.status())) {
            return new Decision(List.of(), Result.ok(c.person()));
        }
        List<Record> records = new ArrayList<>();
        records.add(new ContinuityRecord.StaffStatusSet(c.person(), c.status(), c.by(), nowMs));
        if (p.withStatus(c.status()).unavailable() && !p.unavailable()) {
            records.addAll(absenteeism(state, 1, nowMs));
        }
        return new Decision(records, Result.ok(c.person()));
    }
}
