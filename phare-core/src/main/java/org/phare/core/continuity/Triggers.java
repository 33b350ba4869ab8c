package org.phare.core.continuity;

/**
 * What an event asks of the plan: among the levels above the one in force, those with a trigger of the event's
 * kind (for absenteeism: a threshold the share of absent people reaches). The highest level whose trigger raises
 * is entered at once; failing that, the highest level whose trigger recommends is recommended to the crisis cell.
 */
public final class Triggers {
    /** The plan's answer: raise to a level, recommend one, or nothing (level -1). */
    public record Outcome(String action, int level) {
        public static final Outcome NONE = new Outcome("none", -1);
    }

    private Triggers() {
    }

    /** @param absentPercent for {@code absenteeism}: the share of the roster absent or quarantined; ignored otherwise */
    public static Outcome evaluate(Plan plan, int current, String kind, double absentPercent) {
        int raise = -1;
        int recommend = -1;
        for (Plan.Level l : plan.levels()) {
            if (l.level() <= current) {
                continue;
            }
            for (Plan.Trigger t : l.triggers()) {
                boolean fires = t.on().equals(kind) && (!"absenteeism".equals(kind) || absentPercent >= t.threshold());
                if (fires && "raise".equals(t.action())) {
                    raise = Math.max(raise, l.level());
                } else if (fires) {
                    recommend = Math.max(recommend, l.level());
                }
            }
        }
        if (raise >= 0) {
            return new Outcome("raise", raise);
        }
        return recommend >= 0 ? new Outcome("recommend", recommend) : Outcome.NONE;
    }
}
