package org.phare.api;

import org.phare.core.record.ContinuityRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.continuity.Plan;
import org.phare.core.control.Command;
import org.phare.core.control.Decision;
import org.phare.core.control.Result;
import org.phare.core.control.ContinuityWrites;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/** The default plan's triggers on the roster fixture: a closure order, and absenteeism from people's statuses. */
@DisplayName("triggers")
class TriggersTest {
    private static final Plan PLAN = PlanYaml.parse(PlanYaml.defaultPlanText());
    private CloudState state;

    @BeforeEach
    void setUp() {
        String roster = Fixtures.roster();
        state = new CloudState();
        state.replay(new ContinuityRecord.PlanApplied(1, PLAN, "operator", null, 1L));
        state.replay(new ContinuityRecord.RosterImported(RosterCsv.parse(roster, PLAN).people(), "hr", 2L));
    }

    private List<Record> apply(Decision d) {
        assertThat(d.result().isOk()).as("%s", d.result()).isTrue();
        state.replayAll(d.records());
        return d.records();
    }

    @Test
    @DisplayName("a closure order closes the site (by id or by area) and raises the plan to the level that says so")
    void closureOrder() {
        List<Record> r = apply(ContinuityWrites.closeSites(state, new Command.CloseSites("saint-cloud", "prefect's order 2026-113", "cell"), 10L));
        assertThat(r.get(0)).isEqualTo(new ContinuityRecord.SitesClosed(List.of("saint-cloud"), "prefect's order 2026-113", "cell", 10L));
        assertThat(r.get(1)).isInstanceOfSatisfying(ContinuityRecord.LevelChanged.class, c -> {
            assertThat(c.to()).isEqualTo(3);
            assertThat(c.trigger()).isEqualTo("closure-order");
            assertThat(c.reason()).contains("prefect's order 2026-113");
        });
        assertThat(state.level()).isEqualTo(3);
        // At level 3 a second order closes its site and changes no level (level 4 is a manual call).
        List<Record> again = apply(ContinuityWrites.closeSites(state, new Command.CloseSites("aubervilliers", "order 2026-114", "cell"), 11L));
        assertThat(again).singleElement().isEqualTo(new ContinuityRecord.SitesClosed(List.of("eu-west-2a-dc1"), "order 2026-114", "cell", 11L));
        assertThat(state.closedSites()).containsOnlyKeys("saint-cloud", "eu-west-2a-dc1");
        assertThat(CloudState.restore(state.snapshot()).differences(state)).isEmpty();

        assertThat(ContinuityWrites.closeSites(state, new Command.CloseSites("lyon", "x", "cell"), 12L).result())
                .isInstanceOfSatisfying(Result.Rejected.class, x -> assertThat(x.code()).isEqualTo("NotFound"));
        assertThat(ContinuityWrites.closeSites(state, new Command.CloseSites("paris-hq", " ", "cell"), 12L).result())
                .isInstanceOfSatisfying(Result.Rejected.class, x -> assertThat(x.code()).isEqualTo("MissingParameter"));
    }

    @Test
    @DisplayName("absenteeism: 1 of 14 out recommends level 1, 2 recommend level 2, 3 (21 %) raise to level 3")
    void absenteeism() {
        List<Record> one = apply(ContinuityWrites.setStaffStatus(state, new Command.SetStaffStatus("p05", "absent", "hr"), 20L));
        assertThat(one.get(1)).isInstanceOfSatisfying(ContinuityRecord.LevelRecommended.class, x -> {
            assertThat(x.level()).isEqualTo(1);
            assertThat(x.detail()).startsWith("7.1 %");
        });
        List<Record> two = apply(ContinuityWrites.setStaffStatus(state, new Command.SetStaffStatus("p06", "quarantined", "hr"), 21L));
        assertThat(two.get(1)).isInstanceOfSatisfying(ContinuityRecord.LevelRecommended.class, x -> assertThat(x.level()).isEqualTo(2));
        // The same recommendation again is not repeated: p06 back, then out again.
        apply(ContinuityWrites.setStaffStatus(state, new Command.SetStaffStatus("p06", "onsite", "hr"), 21L));
        assertThat(apply(ContinuityWrites.setStaffStatus(state, new Command.SetStaffStatus("p06", "absent", "hr"), 21L))).hasSize(1);
        assertThat(state.level()).as("recommendations change no level").isZero();
        List<Record> three = apply(ContinuityWrites.setStaffStatus(state, new Command.SetStaffStatus("p07", "absent", "hr"), 22L));
        assertThat(three.get(1)).isInstanceOfSatisfying(ContinuityRecord.LevelChanged.class, c -> {
            assertThat(c.to()).isEqualTo(3);
            assertThat(c.trigger()).isEqualTo("absenteeism");
            assertThat(c.by()).isEqualTo("trigger");
        });
        assertThat(state.level()).isEqualTo(3);
        assertThat(state.recommendations()).hasSize(2);
        // Someone coming back triggers nothing.
        assertThat(apply(ContinuityWrites.setStaffStatus(state, new Command.SetStaffStatus("p07", "onsite", "hr"), 23L))).hasSize(1);
    }
}
