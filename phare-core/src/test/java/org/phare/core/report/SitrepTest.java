package org.phare.core.report;

import org.phare.core.record.ComputeRecord;
import org.phare.core.record.ContinuityRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.core.CloudFixture.C1R2;
import static org.phare.core.CloudFixture.ZONE_A;
import static org.phare.core.CloudFixture.ZONE_B;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.CloudFixture;
import org.phare.core.ContinuityFixture;
import org.phare.core.ControlledCloud;
import org.phare.core.FakeAgent;
import org.phare.core.FakeClock;
import org.phare.core.control.Command;
import org.phare.core.control.Result;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.model.Resources;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;
import org.phare.core.state.Failovers;

/**
 * A zone of the cloud fails under a continuity plan: the cloud declares it down, the plan's infrastructure trigger
 * raises the level, the instances fail over, and the situation report shows all of it — then the zone comes back.
 */
@DisplayName("Situation report: a zone failure and its failovers")
class SitrepTest {

    private static Duration s(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static void ok(Result r) {
        assertThat(r.isOk()).as(String.valueOf(r)).isTrue();
    }

    @Test
    @DisplayName("the zone is declared down, the plan raises the level, failovers and their recovery times are reported")
    void zoneFailure() {
        ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 3);
        ok(cloud.submit(new Command.ApplyPlan(ContinuityFixture.plan(), "cell", "test plan")));
        ok(cloud.submit(new Command.ImportRoster(ContinuityFixture.roster(), "hr")));
        List<InstanceId> all = cloud.run(C1R2, null, 6, 0); // not pinned: spread over the zones
        List<InstanceId> inA = all.stream().filter(id -> cloud.instance(id).zone().equals(ZONE_A)).toList();
        List<InstanceId> inB = all.stream().filter(id -> cloud.instance(id).zone().equals(ZONE_B)).toList();
        assertThat(inA).hasSize(2);
        cloud.runUntil(s(20));
        ok(cloud.submit(new Command.OpenMeeting("cell")));
        ok(cloud.submit(new Command.RecordMinutes("night calm; 6 instances running", false, "cell")));
        ok(cloud.submit(new Command.RecordMinutes("keep level 0", true, "cell")));
        ok(cloud.submit(new Command.OpenAction("check the spare hosts of eu-west-2b", "operator", "+4h", "cell")));
        ok(cloud.submit(new Command.CloseMeeting("cell")));

        Sitrep before = Sitrep.of(cloud.state(), cloud.clock().epochMillis());
        assertThat(before.level().level()).isZero();
        assertThat(before.regions().get(0).status()).isEqualTo("ok");
        assertThat(before.failovers().recovered()).isZero();
        assertThat(before.headroom()).hasSize(3).allSatisfy(h -> assertThat(h.zoneLossMargin()).isPositive());

        cloud.agents(ZONE_A).forEach(FakeAgent::silence);
        long lastHeardMs = FakeClock.START_EPOCH_MS
                + (cloud.agents(ZONE_A).stream().mapToLong(FakeAgent::lastBeatNanos).max().orElseThrow() - FakeClock.START_NANOS) / 1_000_000;
        cloud.runUntil(c -> inA.stream().allMatch(id -> c.instance(id).state() == InstanceState.RUNNING
                && !c.state().host(c.instance(id).host()).zone().equals(ZONE_A)), s(30), "the failovers");

        CloudState state = cloud.state();
        assertThat(state.crisis().down()).containsOnlyKeys("zone:" + ZONE_A, "site:" + CloudFixture.site(ZONE_A));
        assertThat(state.level()).as("the infrastructure trigger raises to 2").isEqualTo(2);
        ContinuityRecord.LevelChanged change = state.levelHistory().get(state.levelHistory().size() - 1);
        assertThat(change.trigger()).isEqualTo("infrastructure");
        assertThat(change.by()).isEqualTo("trigger");
        assertThat(change.reason()).contains("zone " + ZONE_A);

        Sitrep after = Sitrep.of(state, cloud.clock().epochMillis());
        assertThat(after.level().level()).isEqualTo(2);
        assertThat(after.level().trigger()).isEqualTo("infrastructure");
        assertThat(after.level().down()).extracting(ContinuityRecord.InfrastructureChanged::id).contains(ZONE_A.value());
        assertThat(after.regions().get(0).status()).isEqualTo("degraded");
        Sitrep.ZoneHealth a = after.regions().get(0).zones().stream().filter(z -> z.zone().equals(ZONE_A.value())).findFirst().orElseThrow();
        assertThat(a.status()).isEqualTo("down");
        assertThat(a.downSinceMs()).isNotNull();
        assertThat(a.dead()).isEqualTo(3);
        assertThat(a.instances()).isZero();
        assertThat(a.sites()).singleElement().satisfies(site -> assertThat(site.status()).isEqualTo("down"));

        Sitrep.FailoverView f = after.failovers();
        assertThat(f.since()).isEqualTo("meeting 1");
        assertThat(f.recovered()).isEqualTo(2);
        assertThat(f.waiting()).isZero();
        assertThat(f.byZone()).containsExactly(java.util.Map.entry(ZONE_A.value(), 2));
        assertThat(f.latest()).extracting(Sitrep.FailoverLine::instance).containsExactlyInAnyOrderElementsOf(inA);
        long deadAfterMs = ControlledCloud.defaultConfig().health().deadAfter().toMillis();
        assertThat(f.latest()).allSatisfy(x -> {
            assertThat(x.toZone()).isNotEqualTo(ZONE_A);
            assertThat(x.hostLastHeardMs()).as("the agents' last heartbeat, on the controller's clock").isEqualTo(lastHeardMs);
            // Heartbeats and ticks fall on the 100 ms steps: the silence reaches dead-after exactly on a tick.
            assertThat(x.detectionMs()).as("detection").isEqualTo(deadAfterMs);
            assertThat(x.replacementMs()).as("re-placement").isEqualTo(x.runningAtMs() - x.hostDeadAtMs()).isPositive().isLessThan(10_000);
            assertThat(x.outageMs()).as("outage = detection + re-placement").isEqualTo(x.detectionMs() + x.replacementMs());
            assertThat(x.runningAtMs()).isGreaterThanOrEqualTo(x.placedAtMs());
            assertThat(x.placedAtMs()).isGreaterThanOrEqualTo(x.evictedAtMs());
            assertThat(x.evictedAtMs()).isGreaterThanOrEqualTo(x.hostDeadAtMs());
        });
        assertThat(f.replacement().count()).isEqualTo(2);
        assertThat(f.replacement().p50Ms()).isPositive();
        assertThat(f.replacement().maxMs()).isGreaterThanOrEqualTo(f.replacement().p50Ms());
        assertThat(f.detection().maxMs()).isEqualTo(deadAfterMs);
        assertThat(f.outage().count()).isEqualTo(2);
        assertThat(f.outage().p50Ms()).as("what tenants felt includes detection").isEqualTo(f.replacement().p50Ms() + deadAfterMs);
        assertThat(f.outage().maxMs()).isEqualTo(f.replacement().maxMs() + deadAfterMs);
        assertThat(after.headroom()).filteredOn(h -> h.zone().equals(ZONE_A.value()))
                .singleElement().satisfies(h -> assertThat(h.zoneLoad()).isZero());
        assertThat(after.openActions()).singleElement().satisfies(x -> assertThat(x.owner()).isEqualTo("operator"));
        assertThat(after.lastDecisions()).extracting(ContinuityRecord.MinutesRecorded::text).containsExactly("keep level 0");
        assertThat(after.staff().functions()).isEqualTo(1);
        assertThat(after.meetings().previous().id()).isEqualTo(1);
        assertThat(inB).allSatisfy(id -> assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.RUNNING));

        // The zone comes back: declared up again, without touching the level (lowering it is the cell's call).
        cloud.agents(ZONE_A).forEach(FakeAgent::resume);
        cloud.runFor(s(3));
        assertThat(cloud.state().crisis().down()).isEmpty();
        assertThat(cloud.state().level()).isEqualTo(2);
        assertThat(Sitrep.of(cloud.state(), cloud.clock().epochMillis()).regions().get(0).status()).isEqualTo("ok");

        assertThat(cloud.replayed().differences(cloud.state())).as("replay from the log").isEmpty();
        assertThat(CloudState.restore(cloud.state().snapshot()).differences(cloud.state())).as("restore").isEmpty();
        cloud.assertOneCopyEach();
    }

    @Test
    @DisplayName("a zone that flaps is one incident: no new trigger if it went down again within 10 minutes of coming back")
    void flappingZone() {
        ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 2);
        ok(cloud.submit(new Command.ApplyPlan(ContinuityFixture.plan(), "cell", null)));
        cloud.runUntil(s(10));
        cloud.agents(ZONE_A).forEach(FakeAgent::silence);
        cloud.runFor(s(10));
        assertThat(cloud.state().level()).as("down: the trigger raises").isEqualTo(2);
        ok(cloud.submit(new Command.SetLevel(0, "cell", "hosts coming back", "manual")));
        cloud.agents(ZONE_A).forEach(FakeAgent::resume);
        cloud.runFor(s(3));
        assertThat(cloud.state().crisis().down()).isEmpty();

        cloud.agents(ZONE_A).forEach(FakeAgent::silence);
        cloud.runFor(s(10));
        assertThat(cloud.state().crisis().down()).containsKey("zone:" + ZONE_A);
        assertThat(cloud.state().level()).as("down again within 10 minutes: the same incident").isZero();

        cloud.agents(ZONE_A).forEach(FakeAgent::resume);
        cloud.runFor(Duration.ofMinutes(11));
        cloud.agents(ZONE_A).forEach(FakeAgent::silence);
        cloud.runFor(s(10));
        assertThat(cloud.state().level()).as("down after 11 minutes back: a new incident").isEqualTo(2);
        assertThat(cloud.state().levelHistory()).extracting(ContinuityRecord.LevelChanged::trigger)
                .containsExactly("infrastructure", "manual", "infrastructure");
        assertThat(cloud.replayed().differences(cloud.state())).isEmpty();
    }

    @Test
    @DisplayName("an instance whose new host dies too before it runs: one failover, from the first host's death, no stale destination")
    void evictedTwice() {
        org.phare.core.CloudFixture f = org.phare.core.CloudFixture.withHosts(1);
        org.phare.core.model.HostId a = org.phare.core.CloudFixture.hostId(ZONE_A, 1);
        org.phare.core.model.HostId b = org.phare.core.CloudFixture.hostId(ZONE_B, 1);
        org.phare.core.model.HostId c = org.phare.core.CloudFixture.hostId(org.phare.core.CloudFixture.ZONE_C, 1);
        InstanceId id = InstanceId.of("i-00000000000000001");
        f.apply(new ComputeRecord.InstanceRequested(id, org.phare.core.CloudFixture.TENANT, "vm", C1R2, new org.phare.core.model.Resources(1, 2048),
                org.phare.core.CloudFixture.IMAGE, ZONE_A, false, 0, null, 1_000));
        f.apply(new ComputeRecord.InstancePlaced(id, a, 1, ComputeRecord.Placement.INITIAL, 1_000));
        f.apply(new ComputeRecord.InstanceObserved(id, 1, InstanceState.RUNNING, 2_000));
        f.apply(new ComputeRecord.HostStateChanged(a, org.phare.core.model.HostState.DEAD, "silent", 10_000));
        f.apply(new ComputeRecord.InstanceEvicted(id, a, 1, "dead", 11_000));
        f.apply(new ComputeRecord.InstancePlaced(id, b, 2, ComputeRecord.Placement.FAILOVER, 11_100));
        f.apply(new ComputeRecord.HostStateChanged(b, org.phare.core.model.HostState.DEAD, "silent", 12_000));
        f.apply(new ComputeRecord.InstanceEvicted(id, b, 2, "dead", 13_000));
        CloudState state = f.state();
        Failovers.Failover waiting = state.failovers().waiting().get(id);
        assertThat(waiting.toHost()).as("no destination while it waits").isNull();
        assertThat(waiting.hostDeadAtMs()).isEqualTo(10_000);
        f.apply(new ComputeRecord.InstancePlaced(id, c, 3, ComputeRecord.Placement.FAILOVER, 13_100));
        f.apply(new ComputeRecord.InstanceObserved(id, 2, InstanceState.RUNNING, 13_500)); // stale generation: ignored
        assertThat(state.failovers().waiting()).containsKey(id);
        f.apply(new ComputeRecord.InstanceObserved(id, 3, InstanceState.RUNNING, 14_000));
        assertThat(state.failovers().waiting()).isEmpty();
        assertThat(state.failovers().doneSince(0)).singleElement().satisfies(x -> {
            assertThat(x.fromHost()).isEqualTo(a);
            assertThat(x.toHost()).isEqualTo(c);
            assertThat(x.replacementMs()).isEqualTo(4_000);
            assertThat(x.detectionMs()).as("the log did not say when the host was last heard").isEqualTo(-1);
            assertThat(x.outageMs()).isEqualTo(-1);
        });
        assertThat(CloudState.restore(state.snapshot()).differences(state)).isEmpty();
    }

    @Test
    @DisplayName("a known timeline: host last heard at t0, declared dead at t1, instance placed at t2 and running at t3")
    void detectionReplacementAndOutage() {
        org.phare.core.CloudFixture f = CloudFixture.withHosts(1);
        HostId a = CloudFixture.hostId(ZONE_A, 1);
        HostId b = CloudFixture.hostId(ZONE_B, 1);
        InstanceId moved = InstanceId.of("i-00000000000000001");
        InstanceId stuck = InstanceId.of("i-00000000000000002");
        long t0 = 100_000;
        long t1 = t0 + 5_300; // detection 5.3 s
        long t2 = t1 + 200;
        long t3 = t1 + 1_700; // re-placement 1.7 s, outage 7.0 s
        for (InstanceId id : List.of(moved, stuck)) {
            f.apply(new ComputeRecord.InstanceRequested(id, CloudFixture.TENANT, "vm", C1R2, new Resources(1, 2048),
                    CloudFixture.IMAGE, ZONE_A, false, 0, null, 1_000));
            f.apply(new ComputeRecord.InstancePlaced(id, a, 1, ComputeRecord.Placement.INITIAL, 1_000));
            f.apply(new ComputeRecord.InstanceObserved(id, 1, InstanceState.RUNNING, 2_000));
        }
        f.apply(new ComputeRecord.HostStateChanged(a, HostState.SUSPECT, "silent for 2000 ms", t0 + 2_000, t0));
        f.apply(new ComputeRecord.HostStateChanged(a, HostState.DEAD, "silent for 5300 ms", t1, t0));
        assertThat(f.state().host(a).lastHeardMs()).isEqualTo(t0);
        f.apply(new ComputeRecord.InstanceEvicted(moved, a, 1, "dead", t1));
        f.apply(new ComputeRecord.InstanceEvicted(stuck, a, 1, "dead", t1));
        f.apply(new ComputeRecord.InstancePlaced(moved, b, 2, ComputeRecord.Placement.FAILOVER, t2));
        f.apply(new ComputeRecord.InstanceObserved(moved, 2, InstanceState.RUNNING, t3));
        // The host comes back: it is heard again, which does not change the failovers already recorded.
        f.apply(new ComputeRecord.HostStateChanged(a, HostState.READY, "heartbeat received", t3 + 10_000));
        assertThat(f.state().host(a).lastHeardMs()).as("ready: no silence to date").isNull();

        Sitrep.FailoverView view = Sitrep.of(f.state(), t3 + 60_000).failovers();
        assertThat(view.recovered()).isEqualTo(1);
        assertThat(view.latest()).singleElement().satisfies(x -> {
            assertThat(x.instance()).isEqualTo(moved);
            assertThat(x.hostLastHeardMs()).isEqualTo(t0);
            assertThat(x.hostDeadAtMs()).isEqualTo(t1);
            assertThat(x.placedAtMs()).isEqualTo(t2);
            assertThat(x.runningAtMs()).isEqualTo(t3);
            assertThat(x.detectionMs()).isEqualTo(5_300);
            assertThat(x.replacementMs()).isEqualTo(1_700);
            assertThat(x.outageMs()).isEqualTo(7_000);
        });
        assertThat(view.outage()).isEqualTo(new Sitrep.Durations(1, 7_000L, 7_000L, 7_000L));
        assertThat(view.detection()).isEqualTo(new Sitrep.Durations(1, 5_300L, 5_300L, 5_300L));
        assertThat(view.replacement()).isEqualTo(new Sitrep.Durations(1, 1_700L, 1_700L, 1_700L));
        assertThat(view.stillWaiting()).singleElement().satisfies(x -> {
            assertThat(x.instance()).isEqualTo(stuck);
            assertThat(x.detectionMs()).as("known while it waits").isEqualTo(5_300);
            assertThat(x.toHost()).isNull();
            assertThat(x.placedAtMs()).isNull();
            assertThat(x.runningAtMs()).isNull();
            assertThat(x.replacementMs()).isNull();
            assertThat(x.outageMs()).isNull();
        });

        CloudState state = f.state();
        assertThat(f.replayed().failovers().data()).as("replay from the log").isEqualTo(state.failovers().data());
        assertThat(f.replayed().differences(state)).isEmpty();
        CloudState restored = CloudState.restore(state.snapshot());
        assertThat(restored.failovers().data()).as("restore from a snapshot").isEqualTo(state.failovers().data());
        assertThat(restored.differences(state)).isEmpty();
        assertThat(Sitrep.of(restored, t3 + 60_000).failovers()).isEqualTo(view);
    }

    @Test
    @DisplayName("percentiles of a duration count only the failovers whose host's last heartbeat is known")
    void durationsOfAnOlderLog() {
        org.phare.core.CloudFixture f = CloudFixture.withHosts(1);
        HostId a = CloudFixture.hostId(ZONE_A, 1);
        HostId b = CloudFixture.hostId(ZONE_B, 1);
        HostId c = CloudFixture.hostId(CloudFixture.ZONE_C, 1);
        InstanceId first = InstanceId.of("i-00000000000000001");
        InstanceId second = InstanceId.of("i-00000000000000002");
        f.apply(new ComputeRecord.InstanceRequested(first, CloudFixture.TENANT, "vm", C1R2, new Resources(1, 2048),
                CloudFixture.IMAGE, ZONE_A, false, 0, null, 1_000));
        f.apply(new ComputeRecord.InstancePlaced(first, a, 1, ComputeRecord.Placement.INITIAL, 1_000));
        f.apply(new ComputeRecord.InstanceRequested(second, CloudFixture.TENANT, "vm", C1R2, new Resources(1, 2048),
                CloudFixture.IMAGE, ZONE_B, false, 0, null, 1_000));
        f.apply(new ComputeRecord.InstancePlaced(second, b, 1, ComputeRecord.Placement.INITIAL, 1_000));
        // Host a dies in a log written before the last heartbeat was recorded; host b after.
        f.apply(new ComputeRecord.HostStateChanged(a, HostState.DEAD, "silent for 5000 ms", 10_000));
        f.apply(new ComputeRecord.InstanceEvicted(first, a, 1, "dead", 10_000));
        f.apply(new ComputeRecord.InstancePlaced(first, c, 2, ComputeRecord.Placement.FAILOVER, 10_000));
        f.apply(new ComputeRecord.InstanceObserved(first, 2, InstanceState.RUNNING, 11_000));
        f.apply(new ComputeRecord.HostStateChanged(b, HostState.DEAD, "silent for 6000 ms", 20_000, 14_000L));
        f.apply(new ComputeRecord.InstanceEvicted(second, b, 1, "dead", 20_000));
        f.apply(new ComputeRecord.InstancePlaced(second, c, 2, ComputeRecord.Placement.FAILOVER, 20_000));
        f.apply(new ComputeRecord.InstanceObserved(second, 2, InstanceState.RUNNING, 23_000));

        Sitrep.FailoverView view = Sitrep.of(f.state(), 30_000).failovers();
        assertThat(view.recovered()).isEqualTo(2);
        assertThat(view.replacement()).isEqualTo(new Sitrep.Durations(2, 1_000L, 3_000L, 3_000L));
        assertThat(view.outage()).as("only the second one's is known").isEqualTo(new Sitrep.Durations(1, 9_000L, 9_000L, 9_000L));
        assertThat(view.detection()).isEqualTo(new Sitrep.Durations(1, 6_000L, 6_000L, 6_000L));
        assertThat(view.latest()).extracting(Sitrep.FailoverLine::outageMs).containsExactly(9_000L, null);
    }

    @Test
    @DisplayName("hosts recorded dead by a leader that stopped before declaring their zone down: the next controller declares it")
    void declaredOnStart() {
        org.phare.core.CloudFixture f = org.phare.core.CloudFixture.withHosts(2);
        f.apply(new ContinuityRecord.PlanApplied(1, ContinuityFixture.plan(), "cell", null, 0));
        for (org.phare.core.model.HostId h : f.state().hostsIn(ZONE_A)) {
            f.apply(new ComputeRecord.HostStateChanged(h, org.phare.core.model.HostState.DEAD, "silent", 5_000));
        }
        assertThat(f.state().crisis().down()).isEmpty();
        org.phare.core.MemoryJournal journal = new org.phare.core.MemoryJournal(f.state()); // commits into it at once
        new org.phare.core.control.Controller(ControlledCloud.defaultConfig(), f.state(), journal, new org.phare.core.FakeClock(), 2);
        assertThat(f.state().crisis().down()).containsOnlyKeys("zone:" + ZONE_A, "site:" + org.phare.core.CloudFixture.site(ZONE_A));
        assertThat(f.state().level()).as("the plan's infrastructure trigger").isEqualTo(2);
        assertThat(journal.records()).hasSizeGreaterThanOrEqualTo(3);
    }
}
