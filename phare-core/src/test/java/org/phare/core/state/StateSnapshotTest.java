package org.phare.core.state;

import org.phare.core.record.ComputeRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.phare.core.CloudFixture.C1R2;
import static org.phare.core.CloudFixture.C2R4;
import static org.phare.core.CloudFixture.IMAGE;
import static org.phare.core.CloudFixture.TENANT;
import static org.phare.core.CloudFixture.ZONE_A;
import static org.phare.core.CloudFixture.ZONE_B;
import static org.phare.core.CloudFixture.ZONE_C;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.CloudFixture;
import org.phare.core.ControlledCloud;
import org.phare.core.FakeAgent;
import org.phare.core.control.Command;
import org.phare.core.model.GroupId;
import org.phare.core.model.GroupPolicy;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Schedulability;
import org.phare.core.placement.PlacementConfig;
import org.phare.core.record.Record;

/**
 * Snapshots: a state restored from a snapshot taken after any prefix of a busy log, then fed the rest of the
 * log, equals the state replayed from the whole log, derived indexes and iteration orders included.
 */
@DisplayName("StateSnapshot: restore(snapshot) plus the rest of the log equals the whole replay")
class StateSnapshotTest {

    private static List<Record> log;

    @BeforeAll
    static void busyScenario() {
        ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig()
                .withPlacement(PlacementConfig.defaults().withOvercommit(2.0, 2.0)), 4);
        GroupId group = GroupId.of("pg-db");
        cloud.submit(new Command.CreatePlacementGroup(new PlacementGroup(group, TENANT, GroupPolicy.HOST_ANTI_AFFINITY)));
        cloud.submit(new Command.RunInstances(TENANT, C1R2, IMAGE, ZONE_A, 3, 10, group, "db"));
        List<InstanceId> web = cloud.run(C1R2, null, 12, 0);
        List<InstanceId> pinned = cloud.run(C2R4, ZONE_B, 4, 100);
        cloud.runUntil(Duration.ofSeconds(6));
        cloud.submit(new Command.StopInstances(List.of(web.get(0), web.get(3))));
        cloud.submit(new Command.TerminateInstances(List.of(web.get(1))));
        cloud.runUntil(Duration.ofSeconds(8));
        cloud.submit(new Command.StartInstances(List.of(web.get(0))));
        HostId drained = cloud.instance(pinned.get(0)).host();
        cloud.submit(new Command.SetHostScheduling(drained, Schedulability.DRAINING, "maintenance"));
        cloud.submit(new Command.SetHostScheduling(CloudFixture.hostId(ZONE_C, 3), Schedulability.CORDONED, null));
        cloud.runUntil(Duration.ofSeconds(12));
        HostId failing = cloud.instance(web.get(2)).host();
        cloud.agent(failing).silence();
        cloud.runUntil(Duration.ofSeconds(20));
        List<FakeAgent> storm = cloud.agents().stream()
                .filter(a -> !a.host().value().endsWith("-h1") && !a.silent()).toList();
        storm.forEach(FakeAgent::silence);
        cloud.runUntil(Duration.ofSeconds(30));
        storm.forEach(FakeAgent::resume);
        // may be refused by the reserve after the storm: either way it is part of the log
        cloud.submit(new Command.RunInstances(TENANT, C1R2, IMAGE, null, 4, 5, null, null));
        cloud.runUntil(Duration.ofSeconds(36));
        log = List.copyOf(cloud.log());

        CloudState end = replay(log, log.size());
        assertThat(end.hosts().values()).as("a dead host").anyMatch(h -> h.state() == HostState.DEAD);
        assertThat(end.cpuOvercommit()).isEqualTo(2.0);
        assertThat(log).as("an alarm was raised").anyMatch(r -> r instanceof ComputeRecord.AlarmRaised);
        assertThat(log).as("evictions").anyMatch(r -> r instanceof ComputeRecord.InstanceEvicted);
        assertThat(end.instances().values()).as("stopped").anyMatch(i -> i.state() == InstanceState.STOPPED);
    }

    private static CloudState replay(List<Record> records, int upTo) {
        CloudState s = new CloudState();
        s.replayAll(records.subList(0, upTo));
        return s;
    }

    static void assertSame(CloudState actual, CloudState expected, String what) {
        assertThat(actual.differences(expected)).as(what).isEmpty();
        assertThat(expected.differences(actual)).as(what).isEmpty();
        assertThat(actual.appliedRecords()).as(what).isEqualTo(expected.appliedRecords());
        assertThat(new ArrayList<>(actual.hosts().keySet())).as(what + ": host order")
                .containsExactlyElementsOf(expected.hosts().keySet());
        assertThat(new ArrayList<>(actual.instances().keySet())).as(what + ": instance order")
                .containsExactlyElementsOf(expected.instances().keySet());
        for (HostId h : expected.hosts().keySet()) {
            assertThat(new ArrayList<>(actual.instancesOn(h))).as(what + ": order on " + h)
                    .containsExactlyElementsOf(expected.instancesOn(h));
            assertThat(actual.hostsIn(expected.host(h).zone())).as(what).isEqualTo(expected.hostsIn(expected.host(h).zone()));
        }
        assertThat(new ArrayList<>(actual.recoveryQueue())).as(what).isEqualTo(new ArrayList<>(expected.recoveryQueue()));
        assertThat(actual.slot()).as(what).isEqualTo(expected.slot());
        assertThat(actual.snapshot()).as(what + ": snapshot").isEqualTo(expected.snapshot());
    }

    @Test
    @DisplayName("at every prefix of a busy log: restore equals the original, and both stay equal through the rest")
    void restoreThenReplayEqualsReplay() {
        CloudState whole = replay(log, log.size());
        boolean sawAlarm = false;
        boolean sawPending = false;
        for (int k = 0; k <= log.size(); k += k < 200 ? 1 : 7) {
            CloudState original = replay(log, k);
            sawAlarm |= !original.alarms().isEmpty();
            sawPending |= !original.recoveryQueue().isEmpty();
            CloudState restored = CloudState.restore(original.snapshot());
            assertSame(restored, original, "restored at " + k);
            restored.replayAll(log.subList(k, log.size()));
            original.replayAll(log.subList(k, log.size()));
            assertSame(restored, whole, "restored at " + k + " then replayed to the end");
            assertSame(original, whole, "original at " + k);
        }
        CloudState restored = CloudState.restore(whole.snapshot());
        assertSame(restored, whole, "restored at the end");
        assertThat(sawAlarm).as("some snapshot held an alarm").isTrue();
        assertThat(sawPending).as("some snapshot held pending instances").isTrue();
    }

    @Test
    @DisplayName("an empty state round-trips")
    void empty() {
        assertSame(CloudState.restore(new CloudState().snapshot()), new CloudState(), "empty");
    }

    @Test
    @DisplayName("an inconsistent snapshot is refused")
    void inconsistent() {
        StateSnapshot s = replay(log, log.size()).snapshot();
        ComputeManager.Section c = s.compute();
        StateSnapshot missingOrder = new StateSnapshot(s.appliedRecords(), s.topology(), new ComputeManager.Section(c.hosts(),
                c.instances(), List.of(), c.alarms(), c.instanceSeq(), c.cpuOvercommit(), c.memOvercommit(), c.failovers()),
                s.identity(), s.tags(), s.continuity(), s.cluster());
        assertThatThrownBy(() -> CloudState.restore(missingOrder)).isInstanceOf(IllegalArgumentException.class);
        StateSnapshot noHosts = new StateSnapshot(s.appliedRecords(), s.topology(), new ComputeManager.Section(List.of(),
                c.instances(), List.of(), c.alarms(), c.instanceSeq(), c.cpuOvercommit(), c.memOvercommit(), c.failovers()),
                s.identity(), s.tags(), s.continuity(), s.cluster());
        assertThatThrownBy(() -> CloudState.restore(noHosts)).isInstanceOf(IllegalArgumentException.class);
    }
}
