package org.phare.core.continuity;

/** One applied version of the plan, as {@code phare plan history} lists it. */
public record PlanVersion(int version, String by, String note, long atMs, int levels, int functions, int sites) {
    public static PlanVersion of(int version, Plan plan, String by, String note, long atMs) {
        return new PlanVersion(version, by, note, atMs, plan.levels().size(), plan.functions().size(), plan.sites().size());
    }
}
