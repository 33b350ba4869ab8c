package org.phare.core.state;

import org.phare.core.record.ComputeRecord;
import org.phare.core.record.TopologyRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.core.CloudFixture.C1R2;
import static org.phare.core.CloudFixture.C2R4;
import static org.phare.core.CloudFixture.C4R8;
import static org.phare.core.CloudFixture.IMAGE;
import static org.phare.core.CloudFixture.T0_MS;
import static org.phare.core.CloudFixture.TENANT;
import static org.phare.core.CloudFixture.ZONE_A;
import static org.phare.core.CloudFixture.ZONE_B;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.CloudFixture;
import org.phare.core.model.DesiredState;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.PendingReason;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.record.Record;

@DisplayName("CloudState.replay")
class CloudStateTest {

    private final CloudFixture cloud = CloudFixture.withHosts(2);
    private final HostId a1 = CloudFixture.hostId(ZONE_A, 1);
    private final HostId a2 = CloudFixture.hostId(ZONE_A, 2);

    private Instance instance(InstanceId id) {
        return cloud.state().instance(id);
    }

    @Test
    @DisplayName("a placement records usage on the host, in the zone's figures and in the tenant's zone count")
    void placementIsIndexed() {
        InstanceId id = cloud.place(C2R4, a1);

        assertThat(instance(id).host()).isEqualTo(a1);
        assertThat(instance(id).zone()).isEqualTo(ZONE_A);
        assertThat(cloud.state().used(a1)).isEqualTo(new Resources(2, 4096));
        assertThat(cloud.state().instancesOn(a1)).containsExactly(id);
        assertThat(cloud.state().zoneStats(ZONE_A).schedulableUsedVcpus()).isEqualTo(2);
        assertThat(cloud.state().zoneStats(ZONE_A).liveUsedMemMiB()).isEqualTo(4096);
        assertThat(cloud.state().tenantInstancesIn(TENANT, ZONE_A)).isEqualTo(1);
        assertThat(cloud.state().tenantInstancesIn(TENANT, ZONE_B)).isZero();
    }

    @Test
    @DisplayName("a placement whose generation is not above the current one is ignored")
    void stalePlacementIgnored() {
        InstanceId id = cloud.place(C1R2, a1);

        cloud.apply(new ComputeRecord.InstancePlaced(id, a2, 1, ComputeRecord.Placement.FAILOVER, T0_MS));

        assertThat(instance(id).host()).isEqualTo(a1);
        assertThat(cloud.state().used(a2)).isEqualTo(Resources.ZERO);
    }

    @Test
    @DisplayName("an eviction naming another host or generation is ignored; the right one queues the instance as HostFailed")
    void eviction() {
        InstanceId id = cloud.place(C1R2, a1);

        cloud.apply(new ComputeRecord.InstanceEvicted(id, a2, 1, "wrong host", T0_MS));
        cloud.apply(new ComputeRecord.InstanceEvicted(id, a1, 7, "wrong generation", T0_MS));
        assertThat(instance(id).host()).isEqualTo(a1);

        cloud.apply(new ComputeRecord.InstanceEvicted(id, a1, 1, "host died", T0_MS));
        Instance i = instance(id);
        assertThat(i.host()).isNull();
        assertThat(i.state()).isEqualTo(InstanceState.PENDING);
        assertThat(i.pendingReason()).isEqualTo(PendingReason.HOST_FAILED);
        assertThat(i.pendingDetail()).isEqualTo("host died");
        assertThat(cloud.state().used(a1)).isEqualTo(Resources.ZERO);
        assertThat(cloud.state().recoveryQueue()).extracting(CloudState.QueueKey::instance).containsExactly(id);
    }

    @Test
    @DisplayName("an observation of an old generation is ignored")
    void staleObservationIgnored() {
        InstanceId id = cloud.place(C1R2, a1);
        cloud.apply(new ComputeRecord.InstanceEvicted(id, a1, 1, "died", T0_MS));
        cloud.apply(new ComputeRecord.InstancePlaced(id, a2, 2, ComputeRecord.Placement.FAILOVER, T0_MS));

        cloud.apply(new ComputeRecord.InstanceObserved(id, 1, InstanceState.RUNNING, T0_MS));
        assertThat(instance(id).state()).isEqualTo(InstanceState.PENDING);

        cloud.apply(new ComputeRecord.InstanceObserved(id, 2, InstanceState.RUNNING, T0_MS));
        assertThat(instance(id).state()).isEqualTo(InstanceState.RUNNING);
    }

    @Test
    @DisplayName("termination is final: wanting the instance again afterwards changes nothing")
    void terminationIsFinal() {
        InstanceId id = cloud.place(C1R2, a1);
        cloud.apply(new ComputeRecord.InstanceDesiredChanged(id, DesiredState.TERMINATED, T0_MS));
        assertThat(instance(id).state()).isEqualTo(InstanceState.SHUTTING_DOWN);
        cloud.apply(new ComputeRecord.InstanceObserved(id, 1, InstanceState.TERMINATED, T0_MS));

        cloud.apply(new ComputeRecord.InstanceDesiredChanged(id, DesiredState.RUNNING, T0_MS));

        assertThat(instance(id).desired()).isEqualTo(DesiredState.TERMINATED);
        assertThat(instance(id).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(cloud.state().recoveryQueue()).isEmpty();
    }

    @Test
    @DisplayName("stopping an instance that waits for a host takes it out of the recovery queue at once")
    void stopWhileQueued() {
        InstanceId id = cloud.place(C1R2, a1);
        cloud.apply(new ComputeRecord.InstanceEvicted(id, a1, 1, "died", T0_MS));

        cloud.apply(new ComputeRecord.InstanceDesiredChanged(id, DesiredState.STOPPED, T0_MS));

        assertThat(instance(id).state()).isEqualTo(InstanceState.STOPPED);
        assertThat(cloud.state().recoveryQueue()).isEmpty();
    }

    @Test
    @DisplayName("the recovery queue puts the highest priority first, then the oldest")
    void recoveryOrder() {
        InstanceId oldLow = request("i-old-low", 0);
        InstanceId high = request("i-high", 900);
        InstanceId newLow = request("i-new-low", 0);
        InstanceId mid = request("i-mid", 50);

        assertThat(cloud.state().recoveryQueue()).extracting(CloudState.QueueKey::instance)
                .containsExactly(high, mid, oldLow, newLow);
    }

    private InstanceId request(String id, int priority) {
        InstanceId iid = InstanceId.of(id);
        cloud.apply(new ComputeRecord.InstanceRequested(iid, TENANT, id, C1R2, new Resources(1, 2048), IMAGE, null, false, priority, null, T0_MS));
        return iid;
    }

    @Test
    @DisplayName("records about unknown hosts or instances are ignored: replay never fails half-way")
    void unknownTargetsIgnored() {
        CloudState before = cloud.replayed();

        cloud.apply(new ComputeRecord.HostStateChanged(HostId.of("ghost"), HostState.DEAD, "?", T0_MS));
        cloud.apply(new ComputeRecord.HostSchedulingChanged(HostId.of("ghost"), Schedulability.CORDONED, "?"));
        cloud.apply(new ComputeRecord.InstancePlaced(InstanceId.of("i-ghost"), a1, 1, ComputeRecord.Placement.INITIAL, T0_MS));
        cloud.apply(new ComputeRecord.InstancePlaced(InstanceId.of("i-ghost"), HostId.of("ghost"), 1, ComputeRecord.Placement.INITIAL, T0_MS));
        cloud.apply(new ComputeRecord.InstanceObserved(InstanceId.of("i-ghost"), 1, InstanceState.RUNNING, T0_MS));
        cloud.apply(new ComputeRecord.InstanceEvicted(InstanceId.of("i-ghost"), a1, 1, "?", T0_MS));
        cloud.apply(new ComputeRecord.InstanceDesiredChanged(InstanceId.of("i-ghost"), DesiredState.STOPPED, T0_MS));
        cloud.apply(new ComputeRecord.InstancePendingReason(InstanceId.of("i-ghost"), PendingReason.INSUFFICIENT_CAPACITY, "?"));

        assertThat(cloud.state().differences(before)).isEmpty();
    }

    @Test
    @DisplayName("a dead host's load leaves the zone's live load; a suspect host's stays")
    void liveLoad() {
        cloud.place(C4R8, a1);
        ZoneStats z = cloud.state().zoneStats(ZONE_A);

        cloud.hostState(a1, HostState.SUSPECT);
        assertThat(z.liveUsedVcpus()).isEqualTo(4);
        assertThat(z.schedulableHosts()).isEqualTo(1);

        cloud.hostState(a1, HostState.DEAD);
        assertThat(z.liveUsedVcpus()).isZero();
        assertThat(z.hosts()).isEqualTo(2);
    }

    @Test
    @DisplayName("re-registering a host keeps its identity, zone and scheduling, updates its capacity, and makes it ready")
    void reRegistration() {
        cloud.place(C1R2, a1);
        cloud.scheduling(a1, Schedulability.CORDONED);
        cloud.hostState(a1, HostState.DEAD);

        cloud.apply(new ComputeRecord.HostRegistered(a1, ZONE_A, CloudFixture.site(ZONE_A), new Resources(16, 32768), Map.of("gen", "2"), T0_MS + 5));

        var h = cloud.state().host(a1);
        assertThat(h.state()).isEqualTo(HostState.READY);
        assertThat(h.scheduling()).isEqualTo(Schedulability.CORDONED);
        assertThat(h.capacity()).isEqualTo(new Resources(16, 32768));
        assertThat(h.labels()).containsEntry("gen", "2");
        assertThat(cloud.state().hostsIn(ZONE_A)).containsExactly(a1, a2);
        assertThat(cloud.state().used(a1)).isEqualTo(new Resources(1, 2048));
        assertThat(cloud.replayed().differences(cloud.state())).isEmpty();
    }

    @Test
    @DisplayName("the reserve's figures do not depend on when the instance types were defined (fixed-point, order-independent)")
    void sizingIsOrderIndependent() {
        // same facts, types defined last instead of first
        cloud.place(C4R8, a1);
        cloud.place(C1R2, a1);
        cloud.place(C2R4, a2);
        cloud.hostState(a2, HostState.SUSPECT);
        List<Record> all = cloud.records();
        List<Record> typesLast = new java.util.ArrayList<>(all.stream().filter(r -> !(r instanceof TopologyRecord.InstanceTypeDefined)).toList());
        typesLast.addAll(all.stream().filter(r -> r instanceof TopologyRecord.InstanceTypeDefined).toList());
        CloudState reordered = new CloudState();
        reordered.replayAll(typesLast);

        assertThat(reordered.differences(cloud.state())).isEmpty();
        assertThat(reordered.zoneStats(ZONE_A).slack()).isEqualTo(cloud.state().zoneStats(ZONE_A).slack());
        assertThat(reordered.zoneStats(ZONE_A).worstHostLoss()).isEqualTo(cloud.state().zoneStats(ZONE_A).worstHostLoss());
    }

    @Test
    @DisplayName("the slot follows the largest instance that should run, and every figure is recounted when it grows")
    void slotFollowsTheLargestLiveInstance() {
        cloud.place(C2R4, a1);
        assertThat(cloud.state().slot()).isEqualTo(new Resources(2, 4096));
        assertThat(cloud.state().reserveFor(new Resources(2, 4096)).weight(new Resources(2, 4096))).isEqualTo(1_000_001);

        // Defining a larger type changes nothing: no such instance exists yet.
        cloud.apply(new TopologyRecord.InstanceTypeDefined(new InstanceType(InstanceTypeId.of("tinav5.c8r16"), new Resources(8, 16384))));
        assertThat(cloud.state().slot()).isEqualTo(new Resources(2, 4096));

        // Asking about a larger instance counts with the larger slot, without changing the state.
        assertThat(cloud.state().reserveFor(new Resources(4, 8192)).weight(new Resources(2, 4096))).isEqualTo(500_001);
        assertThat(cloud.state().slot()).isEqualTo(new Resources(2, 4096));

        cloud.place(C4R8, a1);
        assertThat(cloud.state().slot()).isEqualTo(new Resources(4, 8192));
        assertThat(cloud.state().zoneStats(ZONE_A).liveWeight()).isEqualTo(500_001 + 1_000_001);
        assertThat(cloud.replayed().differences(cloud.state())).isEmpty();
    }
}
