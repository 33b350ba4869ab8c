package org.phare.core.placement;

import org.phare.core.record.ComputeRecord;
import org.phare.core.record.TopologyRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.core.CloudFixture.C1R2;
import static org.phare.core.CloudFixture.C2R4;
import static org.phare.core.CloudFixture.C4R8;
import static org.phare.core.CloudFixture.REGION;
import static org.phare.core.CloudFixture.TENANT;
import static org.phare.core.CloudFixture.TYPES;
import static org.phare.core.CloudFixture.ZONE_A;
import static org.phare.core.CloudFixture.ZONE_B;
import static org.phare.core.CloudFixture.ZONE_C;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phare.core.CloudFixture;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.model.ZoneId;
import org.phare.core.placement.PlacementConfig.AdmissionPolicy;
import org.phare.core.placement.PlacementConfig.Strategy;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;
import org.phare.core.state.ZoneStats;

/**
 * The failover reserve counts free capacity in slots of the largest instance that should run (here, once a
 * c4r8 exists: 4 vCPU / 8192 MiB). An 8 vCPU / 16384 MiB host has room for 2 slots and a slack of 1; a c1r2 weighs 0.250001
 * slot, a c2r4 0.500001, a c4r8 1.000001.
 */
@DisplayName("AdmissionControl: the failover reserve")
class AdmissionControlTest {

    private static String check(PlacementConfig config, CloudState state, ZoneId zone, Resources demand) {
        return new AdmissionControl(config).check(state, zone, demand, state.zonesOf(REGION));
    }

    private static String check(PlacementConfig config, CloudFixture cloud, ZoneId zone, InstanceTypeId type) {
        return check(config, cloud.state(), zone, TYPES.get(type));
    }

    @Nested
    @DisplayName("HOST_PER_ZONE: a zone keeps room to re-place the instances of any one of its hosts")
    class HostPerZone {
        private final PlacementConfig config = PlacementConfig.defaults().withAdmission(AdmissionPolicy.HOST_PER_ZONE);

        @Test
        @DisplayName("a zone of four empty hosts admits an instance of the largest type")
        void fourEmptyHostsAdmitTheLargestType() {
            CloudFixture cloud = CloudFixture.withHosts(4);

            assertThat(check(config, cloud, ZONE_A, C4R8)).isNull();
        }

        @Test
        @DisplayName("a zone of three empty hosts admits a c2r4")
        void threeEmptyHostsAdmitAHalfSlot() {
            CloudFixture cloud = CloudFixture.withHosts(3);

            assertThat(check(config, cloud, ZONE_A, C2R4)).isNull();
        }

        @Test
        @DisplayName("two full hosts and an empty one: even a c1r2 is refused, and the message names the zone and the amounts")
        void refusedWithZoneAndAmounts() {
            CloudFixture cloud = CloudFixture.withHosts(3);
            List<HostId> a = cloud.hosts(ZONE_A);
            cloud.place(C4R8, a.get(0));
            cloud.place(C4R8, a.get(0));
            cloud.place(C4R8, a.get(1));
            cloud.place(C4R8, a.get(1));

            String refusal = check(config, cloud, ZONE_A, C1R2);

            // losing a full host displaces 2.000002 slots; with the c1r2's own weight, 2.25 are needed; only the
            // empty host has slack (1 slot).
            assertThat(refusal).isEqualTo("eu-west-2a must keep room to re-place the instances of any one of its hosts"
                    + " (2.251 slots of 4 vCPU / 8192 MiB after admitting 1 vCPU / 2048 MiB); it has room for 1.000 slots");
            assertThat(check(config, cloud, ZONE_B, C1R2)).as("zone b has its own reserve").isNull();
        }

        @Test
        @DisplayName("a zone of three empty hosts admits one instance of the largest type, since afterwards any host loss is still absorbable")
        void threeEmptyHostsAdmitTheLargestType() {
            CloudFixture cloud = CloudFixture.withHosts(3);

            // What the reserve promises holds after the placement, wherever it lands:
            // slack of the zone (2 slots) >= the worst single-host loss (1.000001 slot).
            CloudFixture after = CloudFixture.withHosts(3);
            after.place(C4R8, after.hosts(ZONE_A).get(0));
            ZoneStats s = after.state().zoneStats(ZONE_A);
            assertThat(s.slack()).isGreaterThanOrEqualTo(s.worstHostLoss());

            // Today: "... (2.00 slots of 4 vCPU / 8192 MiB); admitting 4 vCPU / 8192 MiB would leave room for 2.00 slots"
            assertThat(check(config, cloud, ZONE_A, C4R8)).isNull();
        }

        @Test
        @DisplayName("a cordoned host's room does not count: the c2r4 admitted with three hosts is refused when one is cordoned")
        void cordonedRoomDoesNotCount() {
            CloudFixture cloud = CloudFixture.withHosts(3);
            cloud.place(C4R8, cloud.hosts(ZONE_A).get(0)); // slot = c4r8; slack 0 + 1 + 1; worst loss 1.000001
            HostId h3 = cloud.hosts(ZONE_A).get(2);

            assertThat(check(config, cloud, ZONE_A, C2R4)).isNull();
            cloud.scheduling(h3, Schedulability.CORDONED);
            assertThat(check(config, cloud, ZONE_A, C2R4)).startsWith("eu-west-2a must keep room");
        }

        @Test
        @DisplayName("the load of a suspect host must be absorbable; the load of a dead host (being evicted) no longer counts")
        void suspectLoadCountsDeadLoadDoesNot() {
            CloudFixture cloud = CloudFixture.withHosts(3);
            HostId big = cloud.addHost(ZONE_A, new Resources(16, 32768));
            cloud.place(C4R8, big);
            cloud.place(C4R8, big);
            cloud.place(C4R8, big);

            cloud.hostState(big, HostState.SUSPECT);
            assertThat(check(config, cloud, ZONE_A, C1R2))
                    .isEqualTo("eu-west-2a must keep room to re-place the instances of any one of its hosts"
                            + " (3.251 slots of 4 vCPU / 8192 MiB after admitting 1 vCPU / 2048 MiB); it has room for 3.000 slots");

            cloud.hostState(big, HostState.DEAD);
            assertThat(check(config, cloud, ZONE_A, C1R2)).isNull();
        }

        @Test
        @DisplayName("the overcommit ratios recorded in the state widen the reserve's room")
        void recordedOvercommit() {
            CloudFixture cloud = CloudFixture.withHosts(3);
            for (HostId h : cloud.hosts(ZONE_A)) {
                cloud.place(C4R8, h);
            }
            assertThat(check(config, cloud, ZONE_A, C4R8)).as("every host has room for one slot: no slack").isNotNull();

            cloud.apply(new ComputeRecord.SchedulingPolicySet(2.0, 2.0));

            assertThat(cloud.state().cpuOvercommit()).isEqualTo(2.0);
            assertThat(check(config, cloud, ZONE_A, C4R8)).as("every host has room for three slots").isNull();
        }

        @Test
        @DisplayName("a zone with a single host admits nothing: nowhere in the zone could take its load")
        void singleHostZone() {
            CloudFixture cloud = CloudFixture.topology();
            cloud.addHost(ZONE_A, new Resources(64, 131072));

            assertThat(check(config, cloud, ZONE_A, C1R2)).startsWith("eu-west-2a must keep room");
        }

        @Test
        @DisplayName("defining a host-sized instance type does not stop an empty zone from admitting a c1r2")
        void hostSizedTypeDoesNotFreezeAdmission() {
            CloudFixture cloud = CloudFixture.withHosts(3);
            assertThat(check(config, cloud, ZONE_A, C1R2)).isNull();

            cloud.apply(new TopologyRecord.InstanceTypeDefined(new InstanceType(InstanceTypeId.of("tinav5.c8r16"), new Resources(8, 16384))));

            // Today: "eu-west-2a must keep room ... (0.13 slots of 8 vCPU / 16384 MiB); ... would leave room for 0.00 slots"
            assertThat(check(config, cloud, ZONE_A, C1R2)).isNull();
        }
    }

    @Nested
    @DisplayName("ZONE: the other zones keep room to re-place every instance of any one zone")
    class WholeZone {
        private final PlacementConfig config = PlacementConfig.defaults().withAdmission(AdmissionPolicy.ZONE);

        /**
         * Two 8-vCPU hosts per zone. Zone a: one full host and a c2r4 (2.500003 slots of weight, 0.5 of slack);
         * zone b: one c4r8 (1 slot of slack); zone c: empty (2 slots of slack).
         */
        private CloudFixture loaded() {
            CloudFixture cloud = CloudFixture.withHosts(2);
            cloud.place(C4R8, cloud.hosts(ZONE_A).get(0));
            cloud.place(C4R8, cloud.hosts(ZONE_A).get(0));
            cloud.place(C2R4, cloud.hosts(ZONE_A).get(1));
            cloud.place(C4R8, cloud.hosts(ZONE_B).get(0));
            return cloud;
        }

        @Test
        @DisplayName("a c1r2 in zone c is admitted: zones b and c could still take all of zone a")
        void admitted() {
            assertThat(check(config, loaded(), ZONE_C, C1R2)).isNull();
        }

        @Test
        @DisplayName("a c4r8 in zone c is refused, naming the zone whose loss could no longer be absorbed and the amounts")
        void refused() {
            String refusal = check(config, loaded(), ZONE_C, C4R8);

            assertThat(refusal).isEqualTo("the other zones must keep room to re-place every instance of eu-west-2a"
                    + " (2.501 slots of 4 vCPU / 8192 MiB); admitting 4 vCPU / 8192 MiB in eu-west-2c would leave them room for 1.999 slots");
        }

        @Test
        @DisplayName("a region of one zone admits nothing: no other zone could take it")
        void oneZoneRegion() {
            CloudFixture cloud = CloudFixture.topology();
            cloud.addHosts(ZONE_A, 3, CloudFixture.HOST_CAPACITY);

            assertThat(check(config, cloud, ZONE_A, C1R2)).contains("every instance of eu-west-2a");
        }
    }

    @Test
    @DisplayName("NONE admits anything, even into a full zone (capacity is the filters' business)")
    void noneAdmitsEverything() {
        CloudFixture cloud = CloudFixture.withHosts(1);
        cloud.place(C4R8, cloud.hosts(ZONE_A).get(0));
        cloud.place(C4R8, cloud.hosts(ZONE_A).get(0));

        assertThat(check(PlacementConfig.defaults().withAdmission(AdmissionPolicy.NONE), cloud, ZONE_A, C4R8)).isNull();
    }

    // --- what the reserve promises, checked end to end ---------------------------------------------

    static Stream<Arguments> fills() {
        List<Arguments> cases = new ArrayList<>();
        for (Strategy strategy : Strategy.values()) {
            for (long seed = 1; seed <= 4; seed++) {
                cases.add(Arguments.of(strategy, seed));
            }
        }
        return cases.stream();
    }

    /**
     * Fills the cloud with new instances of random types through the scheduler, as far as admission lets it,
     * and returns the fixture. {@code zone} null lets the scheduler spread them.
     */
    private static CloudFixture fillUntilRefused(PlacementConfig config, ZoneId zone, long seed) {
        CloudFixture cloud = CloudFixture.withHosts(4);
        Scheduler scheduler = new Scheduler(config);
        SplittableRandom random = new SplittableRandom(seed);
        List<InstanceTypeId> types = List.of(C1R2, C2R4, C4R8);
        int refusedInARow = 0;
        for (int i = 0; i < 500 && refusedInARow < 12; i++) {
            InstanceTypeId type = types.get(random.nextInt(types.size()));
            PlacementRequest r = new PlacementRequest(InstanceId.of("i-fill-" + i), TENANT, TYPES.get(type), null, zone,
                    zone != null, false, 1);
            PlacementDecision d = scheduler.place(cloud.state(), REGION, r);
            if (d instanceof PlacementDecision.Placed p) {
                cloud.place(TENANT, type, p.host(), null);
                refusedInARow = 0;
            } else {
                refusedInARow++;
            }
        }
        return cloud;
    }

    /** Declares {@code lost} dead, evicts their instances and re-places every one; returns those left unplaced. */
    private static List<InstanceId> loseAndReplace(CloudFixture cloud, List<HostId> lost, boolean pinToZone) {
        CloudState state = cloud.replayed();
        Scheduler failover = new Scheduler(PlacementConfig.defaults());
        List<Instance> displaced = new ArrayList<>();
        for (HostId h : lost) {
            state.replay(new ComputeRecord.HostStateChanged(h, HostState.DEAD, "lost by test", 0));
            for (InstanceId id : List.copyOf(state.instancesOn(h))) {
                displaced.add(state.instance(id));
                state.replay(new ComputeRecord.InstanceEvicted(id, h, 1, "lost by test", 0));
            }
        }
        List<InstanceId> unplaced = new ArrayList<>();
        for (Instance i : displaced) {
            PlacementRequest r = new PlacementRequest(i.id(), i.tenant(), i.demand(), null, i.zone(), pinToZone, true, 2);
            if (failover.place(state, REGION, r) instanceof PlacementDecision.Placed p) {
                state.replay(new ComputeRecord.InstancePlaced(i.id(), p.host(), 2, ComputeRecord.Placement.FAILOVER, 0));
            } else {
                unplaced.add(i.id());
            }
        }
        return unplaced;
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("fills")
    @DisplayName("whatever HOST_PER_ZONE admits, every instance of any one lost host is re-placed in its zone")
    void hostPerZonePromise(Strategy strategy, long seed) {
        PlacementConfig config = PlacementConfig.defaults().withStrategy(strategy);
        CloudFixture cloud = fillUntilRefused(config, ZONE_A, seed);
        assertThat(cloud.state().zoneStats(ZONE_A).liveWeight()).as("the zone holds something").isPositive();

        for (HostId lost : cloud.hosts(ZONE_A)) {
            assertThat(loseAndReplace(cloud, List.of(lost), true)).as("left unplaced after losing %s", lost).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("fills")
    @DisplayName("whatever ZONE admits, every instance of any one lost zone is re-placed in the other zones")
    void zonePromise(Strategy strategy, long seed) {
        PlacementConfig config = PlacementConfig.defaults().withStrategy(strategy).withAdmission(AdmissionPolicy.ZONE);
        CloudFixture cloud = fillUntilRefused(config, null, seed);
        assertThat(cloud.state().instances()).as("the region holds something").isNotEmpty();

        for (ZoneId lost : CloudFixture.ZONES) {
            assertThat(loseAndReplace(cloud, cloud.hosts(lost), false)).as("left unplaced after losing %s", lost).isEmpty();
        }
    }

    @Nested
    @DisplayName("the boundary, in millionths of a slot")
    class Boundary {
        private final Resources slot = new Resources(4, 8192);
        private final Resources small = new Resources(1, 1024);

        @Test
        @DisplayName("slack exactly worst host loss + weight is admitted; one millionth less is refused")
        void exactlyEnoughIsAdmittedOneLessIsNot() {
            long worst = 3_000_004L;
            long weight = 250_001L;

            assertThat(AdmissionControl.hostPerZone(ZONE_A, worst + weight, worst, weight, slot, small)).isNull();
            assertThat(AdmissionControl.hostPerZone(ZONE_A, worst + weight - 1, worst, weight, slot, small)).isNotNull();
        }

        @ParameterizedTest(name = "short by {0} millionth(s) of a slot")
        @MethodSource("shortfalls")
        @DisplayName("a refusal never prints what is needed and what there is as the same figure")
        void refusalFiguresDiffer(long shortBy, long needed) {
            String message = AdmissionControl.hostPerZone(ZONE_A, needed - shortBy, needed - 250_001L, 250_001L, slot, small);

            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(([0-9.]+) slots of .*room for ([0-9.]+) slots")
                    .matcher(message);
            assertThat(m.find()).as(message).isTrue();
            assertThat(Double.parseDouble(m.group(1))).as(message).isGreaterThan(Double.parseDouble(m.group(2)));
        }

        static Stream<Arguments> shortfalls() {
            return Stream.of(Arguments.of(1L, 4_000_000L), Arguments.of(1L, 4_000_001L), Arguments.of(1L, 4_000_999L),
                    Arguments.of(999L, 4_000_999L), Arguments.of(1_000L, 4_001_000L), Arguments.of(1L, 1L),
                    Arguments.of(500L, 4_000_500L));
        }

        @Test
        @DisplayName("figures: needed rounds up, what there is rounds down")
        void rounding() {
            assertThat(AdmissionControl.slotsUp(4_000_001L)).isEqualTo("4.001 slots");
            assertThat(AdmissionControl.slotsDown(4_000_999L)).isEqualTo("4.000 slots");
            assertThat(AdmissionControl.slotsUp(4_000_000L)).isEqualTo("4.000 slots");
            assertThat(AdmissionControl.slotsDown(-5L)).isEqualTo("0.000 slots");
        }
    }
}
