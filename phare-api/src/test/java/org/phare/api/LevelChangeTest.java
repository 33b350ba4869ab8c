package org.phare.api;

import org.phare.core.record.ContinuityRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.continuity.LevelChange;
import org.phare.core.continuity.Person;
import org.phare.core.continuity.Plan;
import org.phare.core.control.Command;
import org.phare.core.control.Decision;
import org.phare.core.control.Result;
import org.phare.core.control.ContinuityWrites;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/** What a change of level implies, on the default plan and the 14-person roster fixture. */
@DisplayName("level changes and their actions")
class LevelChangeTest {
    private static final Plan PLAN = PlanYaml.parse(PlanYaml.defaultPlanText());
    private static final List<Person> ROSTER = RosterCsv.parse(Fixtures.roster(), PLAN).people();
    /** 2026-03-02 10:00 in Paris (09:00 UTC). */
    private static final long MONDAY_10H = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();


    private static List<String> ids(List<LevelChange.PersonAction> people) {
        return people.stream().map(LevelChange.PersonAction::id).toList();
    }

    @Test
    @DisplayName("0 -> 1: the level's measures, at-risk people home (one cannot), meetings at 17:00 and 09:00 tomorrow")
    void toVigilance() {
        LevelChange c = LevelChange.of(PLAN, ROSTER, 0, 1, MONDAY_10H);
        assertThat(c.activate()).hasSize(5).extracting(Plan.Measure::category).contains("health", "transport", "remote-work");
        assertThat(c.lift()).isEmpty();
        assertThat(ids(c.toRemote())).containsExactly("p02", "p13");
        assertThat(ids(c.cannotRemote())).containsExactly("p06");
        assertThat(c.cannotRemote().get(0).functions()).containsExactly("network");
        assertThat(c.mayReturn()).isEmpty();
        assertThat(c.meetings()).containsExactly("2026-03-02T17:00+01:00", "2026-03-03T09:00+01:00");
    }

    @Test
    @DisplayName("1 -> 4: every higher level's measures, everyone remote, four who cannot; 4 -> 0: all lifted, people may return")
    void toOfficesClosedAndBack() {
        LevelChange up = LevelChange.of(PLAN, ROSTER, 1, 4, MONDAY_10H);
        assertThat(up.activate()).hasSize(9);
        assertThat(ids(up.cannotRemote())).containsExactly("p03", "p06", "p10", "p11");
        assertThat(up.toRemote()).hasSize(8).extracting(LevelChange.PersonAction::id).doesNotContain("p02", "p13");
        LevelChange down = LevelChange.of(PLAN, ROSTER, 4, 0, MONDAY_10H);
        assertThat(down.lift()).hasSize(14);
        assertThat(down.activate()).isEmpty();
        assertThat(down.mayReturn()).as("everyone, the four who could not work remotely too").hasSize(14);
        assertThat(down.meetings()).isEmpty();
    }

    @Test
    @DisplayName("recorded with who, when and why; the same level again, no plan, a bad level or no reason change nothing")
    void recorded() {
        CloudState s = new CloudState();
        assertThat(ContinuityWrites.setLevel(s, new Command.SetLevel(1, "cell", "cases", "manual"), MONDAY_10H).result())
                .isInstanceOfSatisfying(Result.Rejected.class, r -> assertThat(r.code()).isEqualTo("NoPlan"));
        s.replay(new ContinuityRecord.PlanApplied(1, PLAN, "operator", null, 1L));
        s.replay(new ContinuityRecord.RosterImported(ROSTER, "hr", 2L));
        Decision d = ContinuityWrites.setLevel(s, new Command.SetLevel(1, "cell", "first cases in the region", "manual"), MONDAY_10H);
        assertThat(d.records()).singleElement().isInstanceOfSatisfying(ContinuityRecord.LevelChanged.class, r -> {
            assertThat(r.by()).isEqualTo("cell");
            assertThat(r.reason()).isEqualTo("first cases in the region");
            assertThat(r.atMs()).isEqualTo(MONDAY_10H);
            assertThat(ids(r.actions().toRemote())).containsExactly("p02", "p13");
        });
        s.replayAll(d.records());
        assertThat(s.level()).isEqualTo(1);
        assertThat(ContinuityWrites.setLevel(s, new Command.SetLevel(1, "cell", "again", "manual"), MONDAY_10H).records()).isEmpty();
        assertThat(ContinuityWrites.setLevel(s, new Command.SetLevel(5, "cell", "x", "manual"), MONDAY_10H).result()).isInstanceOf(Result.Rejected.class);
        assertThat(ContinuityWrites.setLevel(s, new Command.SetLevel(2, "cell", " ", "manual"), MONDAY_10H).result())
                .isInstanceOfSatisfying(Result.Rejected.class, r -> assertThat(r.code()).isEqualTo("MissingParameter"));
        assertThat(CloudState.restore(s.snapshot()).differences(s)).isEmpty();
        // A plan without the level in force is refused until the level is lowered.
        s.replayAll(ContinuityWrites.setLevel(s, new Command.SetLevel(3, "cell", "area closed", "closure-order"), MONDAY_10H).records());
        Plan twoLevels = new Plan(PLAN.name(), PLAN.timezone(), PLAN.roles(), List.copyOf(PLAN.levels().subList(0, 2)),
                PLAN.sites(), List.of());
        assertThat(org.phare.core.continuity.PlanCheck.problems(twoLevels)).isEmpty();
        assertThat(ContinuityWrites.applyPlan(s, new Command.ApplyPlan(twoLevels, "x", null), 3L).result())
                .isInstanceOfSatisfying(Result.Rejected.class, r -> assertThat(r.code()).isEqualTo("Conflict"));
        assertThat(s.levelHistory()).extracting(ContinuityRecord.LevelChanged::trigger).containsExactly("manual", "closure-order");
    }
}
