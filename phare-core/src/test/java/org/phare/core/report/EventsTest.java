package org.phare.core.report;

import org.phare.core.record.ComputeRecord;
import org.phare.core.record.ContinuityRecord;
import org.phare.core.record.IdentityRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.CloudFixture;
import org.phare.core.ControlledCloud;
import org.phare.core.model.HostId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

@DisplayName("Events: what the log tells as it commits")
class EventsTest {

    /** The events of a whole log, told as a member replays it. */
    private static List<Events.Event> told(List<Record> log) {
        CloudState s = new CloudState();
        List<Events.Event> out = new ArrayList<>();
        for (Record r : log) {
            Events.Event e = Events.describe(s, r);
            if (e != null) {
                out.add(e);
            }
            s.replay(r);
        }
        return out;
    }

    @Test
    @DisplayName("a host dies: its death, then each of its instances running again elsewhere with how long it was down")
    void hostLoss() {
        ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 2);
        List<InstanceId> ids = cloud.run(CloudFixture.C1R2, CloudFixture.ZONE_A, 2, 100);
        cloud.runUntil(c -> ids.stream().allMatch(id -> c.instance(id).state() == InstanceState.RUNNING), Duration.ofSeconds(5),
                "running");
        HostId host = cloud.instance(ids.get(0)).host();
        List<InstanceId> moved = ids.stream().filter(id -> host.equals(cloud.instance(id).host())).toList();
        cloud.agent(host).silence();
        cloud.runUntil(c -> moved.stream().allMatch(id -> !host.equals(c.instance(id).host())
                && c.instance(id).state() == InstanceState.RUNNING), Duration.ofSeconds(15), "moved and running");

        List<Events.Event> events = told(cloud.log());

        assertThat(events).filteredOn(e -> e.kind().equals("host-dead")).singleElement().satisfies(e -> {
            assertThat(e.subject()).isEqualTo(host.value());
            assertThat(e.severity()).isEqualTo(Events.Severity.WARNING);
            assertThat(e.text()).contains("declared dead", "silent for");
        });
        List<Events.Event> again = events.stream().filter(e -> e.kind().equals("instance-running-again")).toList();
        assertThat(again).extracting(Events.Event::subject).containsExactlyInAnyOrderElementsOf(
                moved.stream().map(InstanceId::value).toList());
        assertThat(again).allSatisfy(e -> assertThat(e.text()).containsPattern("moved from " + host.value()
                + ": down \\d+\\.\\d s \\(detected in 5\\.\\d s, re-placed in \\d+\\.\\d s\\)"));
        assertThat(events).as("a first start is no event").noneMatch(e -> e.kind().equals("instance-running-again")
                && !moved.contains(new InstanceId(e.subject())));
    }

    @Test
    @DisplayName("levels, alarms, closures and transport are told; an ordinary record is not")
    void others() {
        CloudState s = new CloudState();
        assertThat(Events.describe(s, new ComputeRecord.AlarmRaised("ControlPlaneIsolated", "cut off", 1))).extracting(Events.Event::kind)
                .isEqualTo("alarm");
        assertThat(Events.describe(s, new ContinuityRecord.TransportChanged("paris", true, "strike", "cell", 2)).text())
                .isEqualTo("transport lost in paris: strike");
        assertThat(Events.describe(s, new ContinuityRecord.InfrastructureChanged("zone", "eu-west-2a", false, "a host is back", 3)).severity())
                .isEqualTo(Events.Severity.INFO);
        assertThat(Events.describe(s, new ContinuityRecord.SitesReopened(List.of("dc1"), "cell", 4)).kind()).isEqualTo("sites-reopened");
        assertThat(Events.describe(s, new IdentityRecord.AccessKeyRevoked("PHKABCDEFGHIJKLMNOPQ", 5))).isNull();
    }
}
