package org.phare.core.control;

import org.phare.core.record.ContinuityRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.ContinuityFixture;
import org.phare.core.ControlledCloud;
import org.phare.core.continuity.Cadence;
import org.phare.core.state.CrisisCell;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/** The crisis cell's meetings, minutes, decisions and actions; transport losses and reopened sites. */
@DisplayName("Crisis cell: meetings, minutes, actions, transport, reopening")
class CrisisWritesTest {
    /** The fake clock starts at 2026-01-01T00:00Z, 01:00 in Paris. */
    private final ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 0);

    private Result submit(Command c) {
        return cloud.submit(c);
    }

    private void at(String instant) {
        cloud.clock().advance(Duration.ofMillis(Instant.parse(instant).toEpochMilli() - cloud.clock().epochMillis()));
    }

    private static String code(Result r) {
        return r instanceof Result.Rejected x ? x.code() : "ok";
    }

    @Test
    @DisplayName("a meeting near a slot of the cadence holds it; others are extraordinary; one meeting at a time")
    void meetings() {
        assertThat(code(submit(new Command.OpenMeeting("cell")))).isEqualTo("NoPlan");
        submit(new Command.ApplyPlan(ContinuityFixture.plan(), "cell", null));
        submit(new Command.ImportRoster(ContinuityFixture.roster(), "hr"));
        at("2026-01-01T07:00:00Z");
        assertThat(submit(new Command.SetLevel(1, "cell", "first cases", "manual")).isOk()).isTrue();
        at("2026-01-01T08:10:00Z"); // 09:10 in Paris
        assertThat(submit(new Command.OpenMeeting("cell")).isOk()).isTrue();
        assertThat(code(submit(new Command.OpenMeeting("cell")))).isEqualTo("Conflict");
        assertThat(submit(new Command.RecordMinutes("12 people remote", false, "cell")).isOk()).isTrue();
        assertThat(submit(new Command.RecordMinutes("car-pooling from Monday", true, "cell")).isOk()).isTrue();
        assertThat(code(submit(new Command.RecordMinutes(" ", true, "cell")))).isEqualTo("InvalidParameterValue");
        assertThat(submit(new Command.CloseMeeting("cell")).isOk()).isTrue();
        assertThat(code(submit(new Command.CloseMeeting("cell")))).isEqualTo("Conflict");
        at("2026-01-01T12:00:00Z"); // 13:00: no slot at level 1 within two hours
        assertThat(submit(new Command.OpenMeeting("cell")).isOk()).isTrue();
        submit(new Command.CloseMeeting("cell"));
        assertThat(submit(new Command.RecordMinutes("decided by phone between meetings", true, "cell")).isOk()).isTrue();

        CrisisCell cell = cloud.state().crisis();
        assertThat(cell.meetings()).extracting(CrisisCell.Meeting::slot).containsExactly("2026-01-01T09:00+01:00", null);
        assertThat(cell.meetings()).allSatisfy(m -> assertThat(m.open()).isFalse());
        assertThat(cell.minutes()).extracting(ContinuityRecord.MinutesRecorded::meeting).containsExactly(1, 1, 0);
        assertThat(cell.minutes()).filteredOn(ContinuityRecord.MinutesRecorded::decision).hasSize(2);
        assertReplayAndRestore();
    }

    @Test
    @DisplayName("actions have a known owner and a due time as people write it; closing twice is harmless")
    void actions() {
        submit(new Command.ApplyPlan(ContinuityFixture.plan(), "cell", null));
        submit(new Command.ImportRoster(ContinuityFixture.roster(), "hr"));
        assertThat(code(submit(new Command.OpenAction("call the prefecture", "nobody", "+2h", "cell")))).isEqualTo("InvalidParameterValue");
        assertThat(code(submit(new Command.OpenAction("call the prefecture", "p3", "yesterday", "cell")))).isEqualTo("InvalidParameterValue");
        assertThat(submit(new Command.OpenAction("call the prefecture", "p3", "+2h", "cell"))).isEqualTo(Result.ok(1));
        assertThat(submit(new Command.OpenAction("VPN for Bob", "operator", "17:00", "cell"))).isEqualTo(Result.ok(2));
        assertThat(submit(new Command.CloseAction(1, "done: order expected at 18:00", "cell")).isOk()).isTrue();
        assertThat(submit(new Command.CloseAction(1, "again", "cell")).isOk()).isTrue();
        assertThat(code(submit(new Command.CloseAction(9, null, "cell")))).isEqualTo("NotFound");

        CrisisCell.Action first = cloud.state().crisis().actions().get(1);
        assertThat(first.open()).isFalse();
        assertThat(first.outcome()).isEqualTo("done: order expected at 18:00");
        assertThat(first.dueMs() - first.openedAtMs()).isEqualTo(Duration.ofHours(2).toMillis());
        CrisisCell.Action second = cloud.state().crisis().actions().get(2);
        assertThat(Instant.ofEpochMilli(second.dueMs())).isEqualTo(Instant.parse("2026-01-01T16:00:00Z"));
        assertReplayAndRestore();
    }

    @Test
    @DisplayName("due times: relative, a time of day (next one), a local date-time, an instant; past or unreadable refused")
    void dueTimes() {
        long now = Instant.parse("2026-11-29T10:00:00Z").toEpochMilli(); // 11:00 in Paris
        assertThat(Cadence.due("+30m", now, "Europe/Paris")).isEqualTo(now + 1_800_000);
        assertThat(Instant.ofEpochMilli(Cadence.due("9:00", now, "Europe/Paris"))).isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
        assertThat(Instant.ofEpochMilli(Cadence.due("17:00", now, "Europe/Paris"))).isEqualTo(Instant.parse("2026-11-29T16:00:00Z"));
        assertThat(Instant.ofEpochMilli(Cadence.due("2026-12-01T17:00", now, "Europe/Paris"))).isEqualTo(Instant.parse("2026-12-01T16:00:00Z"));
        assertThat(Instant.ofEpochMilli(Cadence.due("2026-12-01T17:00Z", now, "Europe/Paris"))).isEqualTo(Instant.parse("2026-12-01T17:00:00Z"));
        assertThatThrownBy(() -> Cadence.due("2026-11-28T17:00", now, "Europe/Paris")).hasMessageContaining("already past");
        // Days count as the calendar does: 17:00 the day before summer time ends is 17:00 the day after, 25 h later.
        long eve = Instant.parse("2026-10-24T15:00:00Z").toEpochMilli(); // 17:00 in Paris (UTC+2)
        assertThat(Instant.ofEpochMilli(Cadence.due("+1d", eve, "Europe/Paris"))).isEqualTo(Instant.parse("2026-10-25T16:00:00Z"));
        assertThatThrownBy(() -> Cadence.due("+99999h", now, "Europe/Paris")).hasMessageContaining("cannot read");
        assertThatThrownBy(() -> Cadence.due("soon", now, "Europe/Paris")).hasMessageContaining("cannot read");
    }

    @Test
    @DisplayName("a loss of transport in an area raises the level as the plan says; transport back and sites reopened")
    void transportAndReopening() {
        submit(new Command.ApplyPlan(ContinuityFixture.plan(), "cell", null));
        submit(new Command.ImportRoster(ContinuityFixture.roster(), "hr"));
        assertThat(code(submit(new Command.SetTransport("lyon", true, "strike", "cell")))).isEqualTo("NotFound");
        assertThat(code(submit(new Command.SetTransport("paris-15", true, " ", "cell")))).isEqualTo("MissingParameter");
        assertThat(submit(new Command.SetTransport("paris-15", true, "general strike, no metro", "cell")).isOk()).isTrue();
        CloudState state = cloud.state();
        assertThat(state.crisis().transportLost()).containsOnlyKeys("paris-15");
        assertThat(state.level()).isEqualTo(1);
        assertThat(state.levelHistory().get(0).trigger()).isEqualTo("transport-loss");
        assertThat(state.levelHistory().get(0).reason()).contains("general strike");
        assertThat(submit(new Command.SetTransport("paris-15", true, "still on strike", "cell")).isOk()).isTrue();
        assertThat(state.levelHistory()).as("the same loss again changes nothing").hasSize(1);
        assertThat(submit(new Command.SetTransport("paris-15", false, null, "cell")).isOk()).isTrue();
        assertThat(state.crisis().transportLost()).isEmpty();

        assertThat(submit(new Command.CloseSites("pantin", "order 12", "cell")).isOk()).isTrue();
        assertThat(state.closedSites()).containsOnlyKeys("dc-a");
        assertThat(submit(new Command.ReopenSites("dc-a", "cell"))).isEqualTo(Result.ok(java.util.List.of("dc-a")));
        assertThat(state.closedSites()).isEmpty();
        assertThat(code(submit(new Command.ReopenSites("nowhere", "cell")))).isEqualTo("NotFound");
        assertReplayAndRestore();
    }

    private void assertReplayAndRestore() {
        assertThat(cloud.replayed().differences(cloud.state())).isEmpty();
        assertThat(CloudState.restore(cloud.state().snapshot()).differences(cloud.state())).isEmpty();
    }
}
