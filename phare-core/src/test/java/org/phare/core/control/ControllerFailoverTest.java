package org.phare.core.control;

import org.phare.core.record.ComputeRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.core.CloudFixture.C1R2;
import static org.phare.core.CloudFixture.C4R8;
import static org.phare.core.CloudFixture.ZONE_A;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.phare.core.CloudFixture;
import org.phare.core.ControlledCloud;
import org.phare.core.FakeAgent;
import org.phare.core.agent.Protocol;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.model.PendingReason;
import org.phare.core.model.Schedulability;
import org.phare.core.model.ZoneId;
import org.phare.core.placement.PlacementConfig;
import org.phare.core.placement.PlacementConfig.AdmissionPolicy;

/**
 * The controller's periodic loop on a fake clock: detect, fence, evict, recover. The controller starts at
 * 0 s (grace until 5 s); agents heartbeat every second; {@link ControlledCloud#step()} moves 100 ms.
 */
@DisplayName("Controller: failure detection and failover")
class ControllerFailoverTest {

    private static final ControllerConfig NO_RESERVE = ControlledCloud.defaultConfig()
            .withPlacement(PlacementConfig.defaults().withAdmission(AdmissionPolicy.NONE));

    private static Duration s(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static void cordon(ControlledCloud cloud, HostId host, Schedulability scheduling) {
        assertThat(cloud.submit(new Command.SetHostScheduling(host, scheduling, "test")).isOk()).isTrue();
    }

    /** Runs instances pinned to one host by cordoning the other hosts of its zone for the time of the request. */
    private static List<InstanceId> runOn(ControlledCloud cloud, HostId host, org.phare.core.model.InstanceTypeId type,
                                          int count, int priority) {
        ZoneId zone = cloud.state().host(host).zone();
        List<HostId> others = cloud.state().hostsIn(zone).stream().filter(h -> !h.equals(host)).toList();
        others.forEach(h -> cordon(cloud, h, Schedulability.CORDONED));
        List<InstanceId> ids = cloud.run(type, zone, count, priority);
        others.forEach(h -> cordon(cloud, h, Schedulability.SCHEDULABLE));
        ids.forEach(id -> assertThat(cloud.instance(id).host()).isEqualTo(host));
        return ids;
    }

    @Nested
    @DisplayName("a host whose heartbeats arrive but whose replies are lost (one way)")
    class RepliesLost {
        private final ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 3);
        private final InstanceId id = cloud.runOne(C1R2, null, 0);
        private final HostId original = cloud.instance(id).host();
        private final FakeAgent agent = cloud.agent(original);

        private void loseRepliesAt20s() {
            cloud.runUntil(s(20));
            assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.RUNNING);
            agent.loseReplies();
        }

        @Test
        @DisplayName("its agent fences when its lease runs out; the controller, which still hears it, stops granting a lease"
                + " it sees unacknowledged for 3 s, declares it dead 5 s after the last one granted, and its instance moves")
        void isDeclaredDeadAndItsInstanceMoves() {
            loseRepliesAt20s();

            cloud.runUntil(s(23.1));
            assertThat(agent.fences()).as("the agent's lease ran out").isEqualTo(1);
            assertThat(agent.running()).isEmpty();
            assertThat(cloud.state().host(original).state()).as("heard, and granted still").isEqualTo(HostState.READY);

            cloud.runUntil(c -> c.state().host(original).state() == HostState.DEAD, s(20), "declared dead");
            // Acknowledgements stop after the reply to its 20 s heartbeat; its heartbeats say nothing new from 22 s; the
            // last lease is granted before 25 s; dead 5 s later: from 28 s, never before its agent fenced (23 s).
            assertThat(cloud.clock().elapsed()).as("declared dead at").isBetween(s(28), s(30.5));
            cloud.runFor(s(2));
            Instance moved = cloud.instance(id);
            assertThat(moved.host()).isNotEqualTo(original);
            assertThat(moved.generation()).isEqualTo(2);
            assertThat(cloud.agent(moved.host()).running()).containsEntry(id, 2L);
        }

        @Test
        @DisplayName("once its replies arrive again, its next heartbeat acknowledges one: it is granted a lease and ready,"
                + " and runs nothing that moved")
        void comesBackOnceHealed() {
            loseRepliesAt20s();
            cloud.runUntil(s(35));
            assertThat(cloud.state().host(original).state()).isEqualTo(HostState.DEAD);

            agent.receiveReplies();
            cloud.runUntil(c -> c.state().host(original).state() == HostState.READY, s(5), "ready again");

            assertThat(cloud.clock().elapsed()).as("back within two heartbeats").isLessThanOrEqualTo(s(37.1));
            cloud.runFor(s(2));
            assertThat(agent.core().fenced()).as("granted a lease again").isFalse();
            assertThat(agent.running()).doesNotContainKey(id);
            assertThat(cloud.instance(id).host()).isNotEqualTo(original);
        }
    }

    @Nested
    @DisplayName("a host that falls silent")
    class SilentHost {
        private final ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 3);
        private final InstanceId id = cloud.runOne(C1R2, null, 0);
        private final HostId original = cloud.instance(id).host();
        private final FakeAgent agent = cloud.agent(original);

        private void silenceAt20s() {
            cloud.runUntil(s(20));
            assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.RUNNING);
            agent.silence();
            assertThat(agent.lastBeatNanos()).isEqualTo(cloud.clock().monotonicNanos());
        }

        @Test
        @DisplayName("is suspect after 2 s of silence and takes no new work")
        void suspectAfterTwoSeconds() {
            silenceAt20s();

            cloud.runUntil(s(21.9));
            assertThat(cloud.state().host(original).state()).isEqualTo(HostState.READY);
            cloud.runUntil(s(22));
            assertThat(cloud.state().host(original).state()).isEqualTo(HostState.SUSPECT);
            assertThat(cloud.state().host(original).acceptsPlacements()).isFalse();
        }

        @Test
        @DisplayName("keeps its instance at 4.9 s of silence: no eviction before the fence deadline")
        void noEvictionBeforeTheFenceDeadline() {
            silenceAt20s();

            cloud.runUntil(s(24.9));

            Instance i = cloud.instance(id);
            assertThat(cloud.state().host(original).state()).isEqualTo(HostState.SUSPECT);
            assertThat(i.host()).isEqualTo(original);
            assertThat(i.generation()).isEqualTo(1);
            assertThat(cloud.controller().counters().evictions).isZero();
            assertThat(cloud.journal().recordsOf(ComputeRecord.InstanceEvicted.class)).isEmpty();
        }

        @Test
        @DisplayName("is declared dead at 5 s of silence; its instance is evicted and re-placed elsewhere at generation 2")
        void deadAfterFiveSeconds() {
            silenceAt20s();
            cloud.runUntil(s(24.9));

            cloud.step(); // 25.0 s: 5 s of silence

            Instance i = cloud.instance(id);
            assertThat(cloud.state().host(original).state()).isEqualTo(HostState.DEAD);
            assertThat(i.host()).isNotNull().isNotEqualTo(original);
            assertThat(i.generation()).isEqualTo(2);
            assertThat(i.state()).isEqualTo(InstanceState.PENDING);
            assertThat(cloud.controller().counters().hostsDeclaredDead).isEqualTo(1);
            assertThat(cloud.journal().recordsOf(ComputeRecord.InstanceEvicted.class))
                    .singleElement().satisfies(e -> {
                        assertThat(e.host()).isEqualTo(original);
                        assertThat(e.generation()).isEqualTo(1);
                    });
            assertThat(cloud.journal().recordsOf(ComputeRecord.InstancePlaced.class)).last()
                    .satisfies(p -> {
                        assertThat(p.generation()).isEqualTo(2);
                        assertThat(p.kind()).isEqualTo(ComputeRecord.Placement.FAILOVER);
                    });
        }

        @Test
        @DisplayName("its agent fences itself when its lease runs out (3 s), before the controller re-places anything (5 s)")
        void agentFencesBeforeFailover() {
            silenceAt20s();

            cloud.runUntil(s(22.9));
            assertThat(agent.running()).containsKey(id);
            cloud.runUntil(s(23));
            assertThat(agent.running()).isEmpty();
            assertThat(agent.fences()).isEqualTo(1);
            assertThat(cloud.instance(id).host()).as("still on its host until 5 s").isEqualTo(original);

            cloud.runUntil(s(27));
            HostId replacement = cloud.instance(id).host();
            assertThat(replacement).isNotEqualTo(original);
            assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.RUNNING);
            assertThat(cloud.agent(replacement).running()).containsEntry(id, 2L);
        }

        @Test
        @DisplayName("an agent whose self-fencing failed is told, when it comes back, to destroy its stale copy")
        void staleCopyIsDestroyedOnReturn() {
            agent.breakFencing();
            silenceAt20s();
            cloud.runUntil(s(27));
            HostId replacement = cloud.instance(id).host();
            assertThat(agent.running()).as("the faulty agent still runs generation 1").containsEntry(id, 1L);

            agent.resume();
            cloud.runFor(s(1.5));

            assertThat(cloud.state().host(original).state()).isEqualTo(HostState.READY);
            assertThat(agent.running()).doesNotContainKey(id);
            assertThat(cloud.instance(id).host()).isEqualTo(replacement);
            assertThat(cloud.instance(id).generation()).isEqualTo(2);
            assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.RUNNING);
        }
    }

    @Test
    @DisplayName("a host silent since registration is not judged during the startup grace (5 s); then it is dead at once")
    void startupGrace() {
        ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 3);
        HostId mute = CloudFixture.hostId(ZONE_A, 1);
        cloud.agent(mute).silence();

        cloud.runUntil(s(4.9));
        assertThat(cloud.state().host(mute).state()).isEqualTo(HostState.READY);
        assertThat(cloud.state().alarms()).as("reconnecting agents are no storm").isEmpty();
        cloud.runUntil(s(5));
        assertThat(cloud.state().host(mute).state()).isEqualTo(HostState.DEAD);
    }

    @Test
    @DisplayName("losing a whole zone is not a storm: its hosts are declared dead and their instances move to the other zones")
    void zoneLossIsNotAStorm() {
        ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 3);
        List<InstanceId> ids = cloud.run(C1R2, null, 6, 0);
        cloud.runUntil(s(20));
        cloud.agents(ZONE_A).forEach(FakeAgent::silence);

        cloud.runUntil(s(25));

        assertThat(cloud.state().alarms()).isEmpty();
        assertThat(cloud.state().hostsIn(ZONE_A)).allSatisfy(h -> assertThat(cloud.state().host(h).state()).isEqualTo(HostState.DEAD));
        assertThat(ids).allSatisfy(id -> {
            Instance i = cloud.instance(id);
            assertThat(i.host()).isNotNull();
            assertThat(cloud.state().host(i.host()).zone()).isNotEqualTo(ZONE_A);
        });
        assertThat(cloud.controller().counters().evictions).as("two instances per zone").isEqualTo(2);
    }

    @Nested
    @DisplayName("a storm: most hosts of every zone silent at once")
    class Storm {
        private final ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 3);
        private final List<InstanceId> ids = cloud.run(C1R2, null, 9, 0);

        /** Silences hosts h2 and h3 of every zone (2 of 3) at 20 s. */
        private List<FakeAgent> silenceMost() {
            cloud.runUntil(s(20));
            List<FakeAgent> silenced = cloud.agents().stream()
                    .filter(a -> !a.host().value().endsWith("-h1")).toList();
            silenced.forEach(FakeAgent::silence);
            return silenced;
        }

        @Test
        @DisplayName("declares nobody dead, moves nothing, and raises ControlPlaneIsolated")
        void freezes() {
            silenceMost();
            List<HostId> before = ids.stream().map(id -> cloud.instance(id).host()).toList();

            cloud.runUntil(s(60));

            assertThat(cloud.state().hosts().values()).noneMatch(h -> h.state() == HostState.DEAD);
            assertThat(cloud.controller().counters().hostsDeclaredDead).isZero();
            assertThat(cloud.controller().counters().evictions).isZero();
            assertThat(ids.stream().map(id -> cloud.instance(id).host()).toList()).isEqualTo(before);
            assertThat(cloud.state().alarms()).containsKey(Controller.ALARM_CONTROL_PLANE_ISOLATED);
            assertThat(cloud.state().alarms().get(Controller.ALARM_CONTROL_PLANE_ISOLATED).detail())
                    .contains("more than 50% of the hosts of every zone are silent");
        }

        @Test
        @DisplayName("the alarm is raised once, and cleared when the heartbeats return")
        void alarmClears() {
            List<FakeAgent> silenced = silenceMost();
            cloud.runUntil(s(30));
            assertThat(cloud.state().alarms()).containsKey(Controller.ALARM_CONTROL_PLANE_ISOLATED);

            silenced.forEach(FakeAgent::resume);
            cloud.runFor(s(1.5));

            assertThat(cloud.state().alarms()).isEmpty();
            assertThat(cloud.state().hosts().values()).allMatch(h -> h.state() == HostState.READY);
            assertThat(cloud.journal().recordsOf(ComputeRecord.AlarmRaised.class)).hasSize(1);
            assertThat(cloud.journal().recordsOf(ComputeRecord.AlarmCleared.class)).hasSize(1);
        }

        @Test
        @DisplayName("when it ends, hosts still silent are judged only after a fresh grace: dead 5 s after the storm ended, not before")
        void freshGraceAfterTheStorm() {
            List<FakeAgent> silenced = silenceMost();
            cloud.runUntil(s(40));
            // one of the two silent hosts of every zone comes back: 1 of 3 silent is no storm
            silenced.stream().filter(a -> a.host().value().endsWith("-h2")).forEach(FakeAgent::resume);
            cloud.runUntil(c -> c.state().alarms().isEmpty(), s(2), "the storm to end");
            Duration ended = cloud.clock().elapsed();
            HostId stillSilent = CloudFixture.hostId(ZONE_A, 3);

            cloud.runUntil(ended.plus(s(4.9)));
            assertThat(cloud.state().host(stillSilent).state()).isEqualTo(HostState.SUSPECT);
            assertThat(cloud.controller().counters().hostsDeclaredDead).isZero();

            cloud.runUntil(ended.plus(s(5)));
            assertThat(cloud.state().host(stillSilent).state()).isEqualTo(HostState.DEAD);
            assertThat(cloud.controller().counters().hostsDeclaredDead).isEqualTo(3);
        }
    }

    @Nested
    @DisplayName("restart priorities when capacity is short")
    class Priorities {
        // zone a: two 8-vCPU hosts. h1 holds a low- and a high-priority c4r8 (the low one older); h2 holds a filler.
        private final ControlledCloud cloud = ControlledCloud.start(NO_RESERVE, 2);
        private final HostId h1 = CloudFixture.hostId(ZONE_A, 1);
        private final HostId h2 = CloudFixture.hostId(ZONE_A, 2);
        private final InstanceId low = runOn(cloud, h1, C4R8, 1, 0).get(0);
        private final InstanceId high = runOn(cloud, h1, C4R8, 1, 500).get(0);
        private final InstanceId filler = runOn(cloud, h2, C4R8, 1, 0).get(0);

        private void loseH1() {
            cloud.runUntil(s(20));
            cloud.agent(h1).silence();
            cloud.runUntil(s(25));
            assertThat(cloud.state().host(h1).state()).isEqualTo(HostState.DEAD);
        }

        @Test
        @DisplayName("the higher-priority instance takes the only room; the lower waits visibly with InsufficientCapacity")
        void higherPriorityFirst() {
            loseH1();

            Instance placed = cloud.instance(high);
            Instance waiting = cloud.instance(low);
            assertThat(placed.host()).isEqualTo(h2);
            assertThat(placed.generation()).isEqualTo(2);
            assertThat(waiting.host()).isNull();
            assertThat(waiting.state()).isEqualTo(InstanceState.PENDING);
            assertThat(waiting.pendingReason()).isEqualTo(PendingReason.INSUFFICIENT_CAPACITY);
            assertThat(waiting.pendingReason().code()).isEqualTo("InsufficientCapacity");
            assertThat(waiting.pendingDetail()).contains("eu-west-2a").contains("need 4");
            assertThat(cloud.instance(filler).host()).as("nothing is pre-empted").isEqualTo(h2);
        }

        @Test
        @DisplayName("the waiting instance stays pending while nothing changes, and is placed as soon as a new host registers")
        void placedWhenCapacityReturns() {
            loseH1();
            cloud.runFor(s(10));
            assertThat(cloud.instance(low).host()).isNull();
            long pendingReasons = cloud.journal().recordsOf(ComputeRecord.InstancePendingReason.class).size();
            assertThat(pendingReasons).as("the reason is recorded once, not at every tick").isEqualTo(1);

            FakeAgent h3 = cloud.addHost(ZONE_A, CloudFixture.HOST_CAPACITY);
            cloud.step();

            Instance i = cloud.instance(low);
            assertThat(i.host()).isEqualTo(h3.host());
            assertThat(i.generation()).isEqualTo(2);
            assertThat(i.pendingReason()).isNull();
        }

        @Test
        @DisplayName("the waiting instance is placed when the lost host comes back")
        void placedWhenTheHostReturns() {
            loseH1();
            cloud.runFor(s(3));
            assertThat(cloud.instance(low).host()).isNull();

            cloud.agent(h1).resume();
            cloud.runFor(s(1.5));

            assertThat(cloud.instance(low).host()).isEqualTo(h1);
            assertThat(cloud.instance(low).generation()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("recovery is rate limited: with burst 2, only 2 of 5 displaced instances are placed in the first tick")
    void recoveryRateLimit() {
        ControlledCloud cloud = ControlledCloud.start(NO_RESERVE.withRecovery(1.0, 2), 2);
        HostId h1 = CloudFixture.hostId(ZONE_A, 1);
        List<InstanceId> ids = runOn(cloud, h1, C1R2, 5, 0);
        cloud.runUntil(s(20));
        cloud.agent(h1).silence();
        cloud.runUntil(s(24.9));
        assertThat(cloud.controller().counters().evictions).isZero();

        cloud.step();

        assertThat(cloud.controller().counters().evictions).isEqualTo(5);
        assertThat(ids.stream().filter(id -> cloud.instance(id).host() != null)).hasSize(2);
        assertThat(ids.stream().map(cloud::instance).filter(i -> i.host() == null))
                .hasSize(3).allSatisfy(i -> assertThat(i.pendingReason()).isEqualTo(PendingReason.HOST_FAILED));

        cloud.runFor(s(0.5));
        assertThat(ids.stream().filter(id -> cloud.instance(id).host() != null)).as("no token yet").hasSize(2);

        cloud.runFor(s(4));
        assertThat(ids).allSatisfy(id -> assertThat(cloud.instance(id).host()).isNotNull());
        assertThat(cloud.controller().counters().failoverPlacements).isEqualTo(5);
    }

    @Test
    @DisplayName("a pinned instance never fails over to another zone: it waits for room in its own")
    void pinnedInstanceStaysInItsZone() {
        ControlledCloud cloud = ControlledCloud.start(NO_RESERVE, 1);
        HostId a1 = CloudFixture.hostId(ZONE_A, 1);
        InstanceId pinned = cloud.runOne(C1R2, ZONE_A, 0);
        cloud.runUntil(s(20));
        cloud.agent(a1).silence();

        cloud.runUntil(s(30));

        Instance i = cloud.instance(pinned);
        assertThat(i.host()).isNull();
        assertThat(i.zone()).isEqualTo(ZONE_A);
        assertThat(i.pendingReason()).isEqualTo(PendingReason.INSUFFICIENT_CAPACITY);
    }

    @Test
    @DisplayName("after a leader change, a host silent since before it is declared dead only once the new grace is over, deadAfter after the change")
    void leaderChangeGrantsGrace() {
        ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 3);
        InstanceId id = cloud.runOne(C1R2, null, 0);
        HostId host = cloud.instance(id).host();
        cloud.runUntil(s(20));
        cloud.agent(host).silence();
        cloud.runUntil(s(22));
        assertThat(cloud.state().host(host).state()).isEqualTo(HostState.SUSPECT);

        Controller next = cloud.restartController(); // at 22 s: silence counted from 22 s, grace until 27 s

        cloud.runUntil(s(26.9));
        assertThat(next.state().host(host).state()).isNotEqualTo(HostState.DEAD);
        assertThat(next.state().instance(id).host()).isEqualTo(host);
        cloud.runUntil(s(27));
        assertThat(next.state().host(host).state()).isEqualTo(HostState.DEAD);
        assertThat(next.state().instance(id).host()).isNotEqualTo(host);
        assertThat(next.state().instance(id).generation()).isEqualTo(2);
    }

    @Test
    @DisplayName("after a leader change, agents apply the new controller's replies: its incarnation orders them after the old ones")
    void newIncarnationRepliesAreApplied() {
        ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 3);
        InstanceId id = cloud.runOne(C1R2, null, 0);
        HostId host = cloud.instance(id).host();
        cloud.runUntil(s(3));
        Protocol.ReplyId oldReply = cloud.agent(host).applied();

        cloud.restartController();
        cloud.submit(new Command.StopInstances(List.of(id)));
        cloud.runFor(s(2.5));

        assertThat(cloud.agent(host).applied()).isGreaterThan(oldReply);
        assertThat(cloud.agent(host).applied().incarnation()).isEqualTo(2);
        assertThat(cloud.agent(host).running()).doesNotContainKey(id);
        assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.STOPPED);
    }

    @Test
    @DisplayName("Counters.plus adds every counter (e.g. over successive controller lives)")
    void countersPlus() {
        Controller.Counters a = new Controller.Counters();
        a.placements = 1; a.failoverPlacements = 2; a.evictions = 3; a.hostsDeclaredDead = 4; a.recordsAppended = 5; a.stormTicks = 6;
        Controller.Counters b = new Controller.Counters();
        b.placements = 10; b.failoverPlacements = 20; b.evictions = 30; b.hostsDeclaredDead = 40; b.recordsAppended = 50; b.stormTicks = 60;

        Controller.Counters sum = a.plus(b);

        assertThat(List.of(sum.placements, sum.failoverPlacements, sum.evictions, sum.hostsDeclaredDead, sum.recordsAppended, sum.stormTicks))
                .containsExactly(11L, 22L, 33L, 44L, 55L, 66L);
    }
}
