package org.phare.core.state;

import org.phare.core.record.ComputeRecord;
import org.phare.core.record.TopologyRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.core.CloudFixture.C1R2;
import static org.phare.core.CloudFixture.C2R4;
import static org.phare.core.CloudFixture.C4R8;
import static org.phare.core.CloudFixture.IMAGE;
import static org.phare.core.CloudFixture.TENANT;
import static org.phare.core.CloudFixture.ZONE_A;
import static org.phare.core.CloudFixture.ZONE_B;
import static org.phare.core.CloudFixture.ZONE_C;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phare.core.CloudFixture;
import org.phare.core.ControlledCloud;
import org.phare.core.FakeAgent;
import org.phare.core.control.Command;
import org.phare.core.control.Controller;
import org.phare.core.model.GroupId;
import org.phare.core.model.GroupPolicy;
import org.phare.core.model.HostId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.placement.PlacementConfig;
import org.phare.core.record.Record;

/**
 * The core's central promise: the state is a pure function of the log. A busy controller run (placements,
 * failover, stop, start, terminate, drain, a storm, a new host, a new instance type, overcommit) is
 * replayed from empty into a fresh state, which must equal the live one, derived indexes included.
 */
@DisplayName("Replay: the log rebuilds the live state exactly")
class ReplayTest {

    private static ControlledCloud busy;

    private static Duration s(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    @BeforeAll
    static void busyScenario() {
        ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig()
                .withPlacement(PlacementConfig.defaults().withOvercommit(1.5, 1.0)), 4);
        GroupId group = GroupId.of("pg-db");
        cloud.submit(new Command.CreatePlacementGroup(new PlacementGroup(group, TENANT, GroupPolicy.HOST_ANTI_AFFINITY)));
        cloud.submit(new Command.RunInstances(TENANT, C1R2, IMAGE, ZONE_A, 3, 10, group, "db"));
        List<InstanceId> web = cloud.run(C1R2, null, 6, 0);
        List<InstanceId> pinned = cloud.run(C2R4, ZONE_B, 2, 100);
        cloud.runUntil(s(6));

        cloud.submit(new Command.StopInstances(List.of(web.get(0))));
        cloud.submit(new Command.TerminateInstances(List.of(web.get(1))));
        cloud.runUntil(s(8));
        cloud.submit(new Command.StartInstances(List.of(web.get(0))));
        cloud.submit(new Command.DefineInstanceType(new InstanceType(InstanceTypeId.of("tinav5.c6r12"), new Resources(6, 12288))));

        HostId drained = cloud.instance(pinned.get(0)).host();
        cloud.submit(new Command.SetHostScheduling(drained, Schedulability.DRAINING, "maintenance"));
        cloud.submit(new Command.SetHostScheduling(CloudFixture.hostId(ZONE_C, 3), Schedulability.CORDONED, null));
        cloud.runUntil(s(12));

        HostId failing = cloud.instance(web.get(2)).host();
        cloud.agent(failing).silence();
        cloud.runUntil(s(20));

        List<FakeAgent> storm = cloud.agents().stream().filter(a -> !a.host().value().endsWith("-h1") && !a.silent()).toList();
        storm.forEach(FakeAgent::silence);
        cloud.runUntil(s(30));
        storm.forEach(FakeAgent::resume);
        cloud.addHost(ZONE_C, new Resources(16, 32768));
        // may be refused by the reserve (the c6r12 above enlarged its slot): either way it is part of the log
        cloud.submit(new Command.RunInstances(TENANT, C4R8, IMAGE, ZONE_C, 1, 0, null, null));
        cloud.runUntil(s(36));
        busy = cloud;

        // the scenario did what it says, or the replay check proves little
        Controller.Counters c = cloud.controller().counters();
        assertThat(c.evictions).as("evictions").isPositive();
        assertThat(c.failoverPlacements).as("failovers").isPositive();
        assertThat(c.stormTicks).as("storm ticks").isPositive();
        assertThat(cloud.journal().recordsOf(ComputeRecord.AlarmCleared.class)).as("storm ended").isNotEmpty();
        assertThat(cloud.journal().recordsOf(ComputeRecord.SchedulingPolicySet.class)).as("overcommit recorded").hasSize(1);
        assertThat(cloud.journal().recordsOf(ComputeRecord.InstanceObserved.class)).extracting(ComputeRecord.InstanceObserved::state)
                .contains(org.phare.core.model.InstanceState.RUNNING, org.phare.core.model.InstanceState.STOPPED,
                        org.phare.core.model.InstanceState.TERMINATED);
    }

    private static CloudState replay(List<Record> log) {
        CloudState fresh = new CloudState();
        fresh.replayAll(log);
        return fresh;
    }

    @Test
    @DisplayName("the records of a busy run, replayed into a fresh state, give a state with no differences from the live one")
    void replayEqualsLive() {
        CloudState live = busy.state();
        CloudState replayed = replay(busy.log());

        assertThat(replayed.differences(live)).isEmpty();
        assertThat(live.differences(replayed)).isEmpty();
        assertThat(replayed.differences(live, live.hosts().keySet(), live.instances().keySet())).isEmpty();
        assertThat(replayed.appliedRecords()).isEqualTo(busy.log().size());
    }

    @Test
    @DisplayName("replaying the same log twice gives the same state both times")
    void replayIsDeterministic() {
        assertThat(replay(busy.log()).differences(replay(busy.log()))).isEmpty();
    }

    private static Arguments drop(String description, Predicate<Record> which, boolean last) {
        return Arguments.of(description, which, last);
    }

    static Stream<Arguments> drops() {
        return Stream.of(
                drop("the last InstancePlaced", r -> r instanceof ComputeRecord.InstancePlaced, true),
                drop("the last InstanceObserved", r -> r instanceof ComputeRecord.InstanceObserved, true),
                drop("the first HostRegistered", r -> r instanceof ComputeRecord.HostRegistered, false),
                drop("the last HostStateChanged", r -> r instanceof ComputeRecord.HostStateChanged, true),
                drop("the AlarmCleared", r -> r instanceof ComputeRecord.AlarmCleared, true),
                drop("the first HostSchedulingChanged that drains", r -> r instanceof ComputeRecord.HostSchedulingChanged h
                        && h.scheduling() == Schedulability.DRAINING, false),
                drop("the SchedulingPolicySet", r -> r instanceof ComputeRecord.SchedulingPolicySet, false),
                drop("the last InstanceTypeDefined", r -> r instanceof TopologyRecord.InstanceTypeDefined, true),
                drop("the first InstanceRequested", r -> r instanceof ComputeRecord.InstanceRequested, false),
                drop("the last InstanceDesiredChanged", r -> r instanceof ComputeRecord.InstanceDesiredChanged, true));
    }

    @ParameterizedTest(name = "dropping {0} is detected")
    @MethodSource("drops")
    @DisplayName("a deliberately dropped record makes the differences non-empty (so the check can fail)")
    void droppedRecordIsDetected(String description, Predicate<Record> which, boolean last) {
        List<Record> log = new ArrayList<>(busy.log());
        int[] matches = IntStream.range(0, log.size()).filter(i -> which.test(log.get(i))).toArray();
        assertThat(matches).as("the busy log holds %s", description).isNotEmpty();
        log.remove(last ? matches[matches.length - 1] : matches[0]);

        List<String> diffs = replay(log).differences(busy.state());

        assertThat(diffs).isNotEmpty();
    }

    @Test
    @DisplayName("a dropped record is pinned to the instance it concerns by the targeted comparison")
    void targetedDifferences() {
        List<Record> log = new ArrayList<>(busy.log());
        int last = IntStream.range(0, log.size()).filter(i -> log.get(i) instanceof ComputeRecord.InstancePlaced).max().orElseThrow();
        ComputeRecord.InstancePlaced dropped = (ComputeRecord.InstancePlaced) log.remove(last);
        CloudState replayed = replay(log);
        List<InstanceId> others = busy.state().instances().keySet().stream().filter(id -> !id.equals(dropped.instance())).toList();

        assertThat(replayed.differences(busy.state(), List.of(), List.of(dropped.instance())))
                .singleElement().asString().startsWith("instance " + dropped.instance());
        assertThat(replayed.differences(busy.state(), List.of(), others)).isEmpty();
    }

    @Test
    @DisplayName("the busy run leaves the controller's own view consistent with the agents: every running copy is the current generation")
    void agentsRunCurrentGenerations() {
        for (FakeAgent agent : busy.agents()) {
            agent.running().forEach((id, gen) -> {
                assertThat(busy.instance(id).host()).as("%s runs %s", agent.host(), id).isEqualTo(agent.host());
                assertThat(busy.instance(id).generation()).isEqualTo(gen);
            });
        }
        assertThat(busy.journal().recordsOf(ComputeRecord.InstancePlaced.class).stream().map(ComputeRecord.InstancePlaced::kind))
                .contains(ComputeRecord.Placement.INITIAL, ComputeRecord.Placement.FAILOVER, ComputeRecord.Placement.RESTART);
        assertThat(busy.state().alarms()).isEmpty();
    }
}
