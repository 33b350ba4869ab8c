package org.phare.core;

import static org.phare.core.CloudFixture.ZONE_A;

import java.util.List;
import org.phare.core.continuity.Person;
import org.phare.core.continuity.Plan;

/** A small continuity plan and roster for the core's tests (the default plan is tested in phare-api). */
public final class ContinuityFixture {
    private ContinuityFixture() {
    }

    /** Level 1 raised on a loss of transport, level 2 on a part of the cloud declared down; meetings from level 1. */
    public static Plan plan() {
        List<Plan.Measure> none = List.of();
        return new Plan("test", "Europe/Paris", List.of("operator", "crisis"), List.of(
                new Plan.Level(0, "normal", "none", none, List.of(), List.of()),
                new Plan.Level(1, "alert", "at-risk", List.of(new Plan.Measure("meetings by teleconference", "meetings", "crisis")),
                        List.of(new Plan.Trigger("transport-loss", "raise", null)), List.of("09:00", "17:00")),
                new Plan.Level(2, "infrastructure lost", "at-risk", none,
                        List.of(new Plan.Trigger("infrastructure", "raise", null)), List.of("09:00", "13:00", "17:00"))),
                List.of(new Plan.PlanSite("hq", "office", "paris-15", null),
                        new Plan.PlanSite("dc-a", "datacenter", "pantin", ZONE_A.value())),
                List.of(new Plan.CriticalFunction("ops", "24/7 operations", List.of("operator"), List.of(1, 1, 2))));
    }

    public static List<Person> roster() {
        return List.of(new Person("p1", "Ann", List.of("operator"), "hq", true, true, true, "onsite"),
                new Person("p2", "Bob", List.of("operator"), "dc-a", false, false, false, "onsite"),
                new Person("p3", "Cat", List.of("crisis"), "hq", true, true, false, "onsite"));
    }

}
