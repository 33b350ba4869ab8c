package org.phare.core.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.core.CloudFixture.C1R2;
import static org.phare.core.CloudFixture.C4R8;
import static org.phare.core.CloudFixture.OTHER_TENANT;
import static org.phare.core.CloudFixture.REGION;
import static org.phare.core.CloudFixture.TENANT;
import static org.phare.core.CloudFixture.TYPES;
import static org.phare.core.CloudFixture.ZONE_A;
import static org.phare.core.CloudFixture.ZONE_B;
import static org.phare.core.CloudFixture.ZONE_C;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phare.core.CloudFixture;
import org.phare.core.model.GroupId;
import org.phare.core.model.GroupPolicy;
import org.phare.core.model.Host;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.TenantId;
import org.phare.core.model.ZoneId;
import org.phare.core.placement.PlacementConfig.AdmissionPolicy;
import org.phare.core.placement.PlacementDecision.Placed;
import org.phare.core.placement.PlacementDecision.Unplaceable;

@DisplayName("Scheduler, end to end")
class SchedulerTest {

    private static final PlacementConfig DEFAULTS = PlacementConfig.defaults();
    private static final PlacementConfig NO_RESERVE = DEFAULTS.withAdmission(AdmissionPolicy.NONE);

    private static PlacementRequest newInstance(String id, TenantId tenant, Resources demand, GroupId group, ZoneId zone,
                                                boolean pinned) {
        return new PlacementRequest(InstanceId.of(id), tenant, demand, group, zone, pinned, false, 1);
    }

    private static PlacementRequest newInstance(String id, InstanceTypeId type) {
        return newInstance(id, TENANT, TYPES.get(type), null, null, false);
    }

    private static PlacementRequest pinned(String id, Resources demand, ZoneId zone) {
        return newInstance(id, TENANT, demand, null, zone, true);
    }

    private static Placed placed(PlacementDecision d) {
        assertThat(d).as("decision").isInstanceOf(Placed.class);
        return (Placed) d;
    }

    private static Unplaceable unplaceable(PlacementDecision d) {
        assertThat(d).as("decision").isInstanceOf(Unplaceable.class);
        return (Unplaceable) d;
    }

    /** Places and records the placement, as the controller would, so the next decision sees it. */
    private static Placed placeAndRecord(Scheduler scheduler, CloudFixture cloud, PlacementRequest r, InstanceTypeId type) {
        Placed p = placed(scheduler.place(cloud.state(), REGION, r));
        cloud.place(r.tenant(), type, p.host(), r.group());
        return p;
    }

    private static void assertFeasible(CloudFixture cloud, PlacementConfig config, Placed p, Resources demand) {
        Host host = cloud.state().host(p.host());
        Resources used = cloud.state().used(p.host());
        assertThat(host.acceptsPlacements()).as("%s accepts placements", p.host()).isTrue();
        assertThat(used.plus(demand).fitsIn(host.capacity().overcommitted(config.cpuOvercommit(), config.memOvercommit())))
                .as("%s has room for %s (uses %s)", p.host(), demand, used).isTrue();
    }

    // --- zones ----------------------------------------------------------------------------------

    @Test
    @DisplayName("an explicit, pinned zone is used even when the tenant already has instances there and none elsewhere")
    void pinnedZone() {
        CloudFixture cloud = CloudFixture.withHosts(2);
        cloud.place(C1R2, cloud.hosts(ZONE_C).get(0));

        Placed p = placed(new Scheduler(DEFAULTS).place(cloud.state(), REGION, pinned("i-1", TYPES.get(C1R2), ZONE_C)));

        assertThat(p.zone()).isEqualTo(ZONE_C);
        assertThat(cloud.state().host(p.host()).zone()).isEqualTo(ZONE_C);
    }

    @Test
    @DisplayName("a pinned zone that is full does not spill into another zone")
    void pinnedZoneDoesNotSpill() {
        CloudFixture cloud = CloudFixture.withHosts(1);
        cloud.place(C4R8, cloud.hosts(ZONE_C).get(0));
        cloud.place(C4R8, cloud.hosts(ZONE_C).get(0));

        Unplaceable u = unplaceable(new Scheduler(NO_RESERVE).place(cloud.state(), REGION, pinned("i-1", TYPES.get(C1R2), ZONE_C)));

        assertThat(u.code()).isEqualTo("InsufficientCapacity");
        assertThat(u.message()).contains("eu-west-2c").doesNotContain("eu-west-2a").doesNotContain("eu-west-2b");
    }

    @Test
    @DisplayName("a preferred (unpinned) zone is tried first, and a failover spills into another zone when it is full")
    void preferredZoneSpills() {
        CloudFixture cloud = CloudFixture.withHosts(1);
        Scheduler scheduler = new Scheduler(DEFAULTS);
        PlacementRequest failover = new PlacementRequest(InstanceId.of("i-1"), TENANT, TYPES.get(C4R8), null, ZONE_C, false, true, 2);

        assertThat(placed(scheduler.place(cloud.state(), REGION, failover)).zone()).as("room in c").isEqualTo(ZONE_C);

        cloud.place(C4R8, cloud.hosts(ZONE_C).get(0));
        cloud.place(C4R8, cloud.hosts(ZONE_C).get(0));
        assertThat(placed(scheduler.place(cloud.state(), REGION, failover)).zone()).as("c full").isNotEqualTo(ZONE_C);
    }

    @Test
    @DisplayName("a pinned zone outside the region is NoHosts, naming the zone")
    void unknownZone() {
        CloudFixture cloud = CloudFixture.withHosts(1);

        Unplaceable u = unplaceable(new Scheduler(DEFAULTS).place(cloud.state(), REGION,
                pinned("i-1", TYPES.get(C1R2), ZoneId.of("us-east-1a"))));

        assertThat(u.code()).isEqualTo("NoHosts");
        assertThat(u.message()).contains("us-east-1a");
    }

    @Test
    @DisplayName("a region that does not exist has no zone: NoHosts")
    void unknownRegion() {
        CloudFixture cloud = CloudFixture.withHosts(1);

        Unplaceable u = unplaceable(new Scheduler(DEFAULTS).place(cloud.state(), RegionId.of("eu-north-1"), newInstance("i-1", C1R2)));

        assertThat(u.code()).isEqualTo("NoHosts");
    }

    @Test
    @DisplayName("a tenant's three instances land in three different zones")
    void spreadsATenantAcrossZones() {
        CloudFixture cloud = CloudFixture.withHosts(3);
        Scheduler scheduler = new Scheduler(DEFAULTS);
        Set<ZoneId> zones = new HashSet<>();

        for (int i = 1; i <= 3; i++) {
            zones.add(placeAndRecord(scheduler, cloud, newInstance("i-" + i, C1R2), C1R2).zone());
        }

        assertThat(zones).containsExactlyInAnyOrder(ZONE_A, ZONE_B, ZONE_C);
    }

    @Test
    @DisplayName("spread counts only the tenant's own instances: another tenant's crowd in a zone does not push it away")
    void spreadIgnoresOtherTenants() {
        CloudFixture cloud = CloudFixture.withHosts(3);
        // the tenant already has one instance in b and c; another tenant fills a little of a
        cloud.place(C1R2, cloud.hosts(ZONE_B).get(0));
        cloud.place(C1R2, cloud.hosts(ZONE_C).get(0));
        cloud.place(OTHER_TENANT, C1R2, cloud.hosts(ZONE_A).get(0), null);
        cloud.place(OTHER_TENANT, C1R2, cloud.hosts(ZONE_A).get(1), null);

        Placed p = placed(new Scheduler(DEFAULTS).place(cloud.state(), REGION, newInstance("i-1", C1R2)));

        assertThat(p.zone()).isEqualTo(ZONE_A);
    }

    @Test
    @DisplayName("between zones where the tenant has as many instances, the one with most free vCPU comes first")
    void spreadTieGoesToTheEmptiestZone() {
        CloudFixture cloud = CloudFixture.withHosts(3);
        cloud.place(OTHER_TENANT, C4R8, cloud.hosts(ZONE_A).get(0), null);
        cloud.place(OTHER_TENANT, C1R2, cloud.hosts(ZONE_B).get(0), null);
        cloud.place(OTHER_TENANT, C4R8, cloud.hosts(ZONE_C).get(0), null);

        Placed p = placed(new Scheduler(DEFAULTS).place(cloud.state(), REGION, newInstance("i-1", C1R2)));

        assertThat(p.zone()).isEqualTo(ZONE_B);
    }

    @Test
    @DisplayName("a zone-spread group spreads its members across zones before the tenant's other instances count")
    void zoneSpreadGroup() {
        GroupId group = GroupId.of("pg-web");
        CloudFixture cloud = CloudFixture.withHosts(2).group(group, TENANT, GroupPolicy.ZONE_SPREAD);
        // the tenant has 2 non-member instances in a, none in b; one group member sits in b
        cloud.place(C1R2, cloud.hosts(ZONE_A).get(0));
        cloud.place(C1R2, cloud.hosts(ZONE_A).get(0));
        cloud.place(TENANT, C1R2, cloud.hosts(ZONE_B).get(0), group);
        cloud.place(TENANT, C1R2, cloud.hosts(ZONE_C).get(0), group);

        Placed p = placed(new Scheduler(NO_RESERVE).place(cloud.state(), REGION,
                newInstance("i-1", TENANT, TYPES.get(C1R2), group, null, false)));

        assertThat(p.zone()).as("the only zone without a member").isEqualTo(ZONE_A);
    }

    // --- failures -------------------------------------------------------------------------------

    @Test
    @DisplayName("hosts each with 2 vCPU free cannot take a c4r8: InsufficientCapacity, stating the need and the most free")
    void insufficientCapacity() {
        CloudFixture cloud = CloudFixture.withHosts(3);
        for (HostId h : cloud.hosts(ZONE_A)) {
            cloud.place(new Resources(6, 4096), h);
        }

        Unplaceable u = unplaceable(new Scheduler(NO_RESERVE).place(cloud.state(), REGION, pinned("i-1", TYPES.get(C4R8), ZONE_A)));

        assertThat(u.code()).isEqualTo("InsufficientCapacity");
        assertThat(u.message()).isEqualTo("cannot place 4 vCPU / 8192 MiB: eu-west-2a: 3 hosts checked, 3 lack vCPU (need 4, most free 2)");
    }

    @Test
    @DisplayName("a failover that fits no host fails with InsufficientCapacity, listing every zone tried with need and most free")
    void failoverThatFitsNowhere() {
        CloudFixture cloud = CloudFixture.withHosts(1);
        for (ZoneId z : CloudFixture.ZONES) {
            cloud.place(new Resources(6, 4096), cloud.hosts(z).get(0));
        }
        PlacementRequest failover = new PlacementRequest(InstanceId.of("i-1"), TENANT, TYPES.get(C4R8), null, ZONE_A, false, true, 2);

        Unplaceable u = unplaceable(new Scheduler(DEFAULTS).place(cloud.state(), REGION, failover));

        assertThat(u.code()).isEqualTo("InsufficientCapacity");
        assertThat(u.message()).isEqualTo("cannot place 4 vCPU / 8192 MiB:"
                + " eu-west-2a: 1 hosts checked, 1 lack vCPU (need 4, most free 2);"
                + " eu-west-2b: 1 hosts checked, 1 lack vCPU (need 4, most free 2);"
                + " eu-west-2c: 1 hosts checked, 1 lack vCPU (need 4, most free 2)");
    }

    @Test
    @DisplayName("a memory shortage states the memory needed and the most free")
    void insufficientMemory() {
        CloudFixture cloud = CloudFixture.withHosts(2);
        cloud.place(new Resources(1, 12288), cloud.hosts(ZONE_A).get(0));
        cloud.place(new Resources(1, 14336), cloud.hosts(ZONE_A).get(1));

        Unplaceable u = unplaceable(new Scheduler(NO_RESERVE).place(cloud.state(), REGION, pinned("i-1", TYPES.get(C4R8), ZONE_A)));

        assertThat(u.code()).isEqualTo("InsufficientCapacity");
        assertThat(u.message()).contains("2 lack memory (need 8192 MiB, most free 4096 MiB)");
    }

    void mostFreeIsPerDimension() {
        CloudFixture cloud = CloudFixture.withHosts(2);
        cloud.place(new Resources(6, 2048), cloud.hosts(ZONE_A).get(0));   // lacks vCPU: 2 free
        cloud.place(new Resources(1, 14336), cloud.hosts(ZONE_A).get(1));  // lacks memory: 7 vCPU free, 2048 MiB free

        Unplaceable u = unplaceable(new Scheduler(NO_RESERVE).place(cloud.state(), REGION, pinned("i-1", TYPES.get(C4R8), ZONE_A)));

        // Today: "1 lack vCPU (need 4, most free 7), 1 lack memory (need 8192 MiB, most free 14336 MiB)":
        // both maxima run over both hosts, so each line contradicts itself.
        assertThat(u.message()).contains("1 lack vCPU (need 4, most free 2)").contains("1 lack memory (need 8192 MiB, most free 2048 MiB)");
    }

    @Test
    @DisplayName("a new instance that would eat every zone's failover reserve is refused with FailoverReserve")
    void failoverReserve() {
        CloudFixture cloud = CloudFixture.withHosts(2);
        for (ZoneId z : CloudFixture.ZONES) {
            cloud.place(C4R8, cloud.hosts(z).get(0));
            cloud.place(C4R8, cloud.hosts(z).get(0));
        }

        Unplaceable u = unplaceable(new Scheduler(DEFAULTS).place(cloud.state(), REGION, newInstance("i-1", C1R2)));

        assertThat(u.code()).isEqualTo("FailoverReserve");
        assertThat(u.message()).startsWith("cannot place 1 vCPU / 2048 MiB: eu-west-2a must keep room to re-place")
                .contains("eu-west-2b must keep room").contains("eu-west-2c must keep room");
    }

    @Test
    @DisplayName("a failover may eat the reserve that a new instance may not")
    void failoverMayUseTheReserve() {
        CloudFixture cloud = CloudFixture.withHosts(2);
        cloud.place(C4R8, cloud.hosts(ZONE_A).get(0));
        cloud.place(C4R8, cloud.hosts(ZONE_A).get(0));
        Scheduler scheduler = new Scheduler(DEFAULTS);
        Resources demand = TYPES.get(C4R8);

        PlacementDecision asNew = scheduler.place(cloud.state(), REGION, new PlacementRequest(InstanceId.of("i-1"), TENANT, demand, null, ZONE_A, true, false, 1));
        PlacementDecision asFailover = scheduler.place(cloud.state(), REGION, new PlacementRequest(InstanceId.of("i-1"), TENANT, demand, null, ZONE_A, true, true, 2));

        assertThat(unplaceable(asNew).code()).isEqualTo("FailoverReserve");
        assertThat(placed(asFailover).host()).isEqualTo(cloud.hosts(ZONE_A).get(1));
    }

    @Test
    @DisplayName("a hard anti-affinity group with more members than a pinned zone has hosts fails with AntiAffinity")
    void antiAffinityPinned() {
        GroupId group = GroupId.of("pg-db");
        CloudFixture cloud = CloudFixture.withHosts(3).group(group, TENANT, GroupPolicy.HOST_ANTI_AFFINITY);
        Scheduler scheduler = new Scheduler(DEFAULTS);
        Set<HostId> used = new HashSet<>();
        for (int i = 1; i <= 3; i++) {
            used.add(placeAndRecord(scheduler, cloud, newInstance("i-" + i, TENANT, TYPES.get(C1R2), group, ZONE_A, true), C1R2).host());
        }

        Unplaceable u = unplaceable(scheduler.place(cloud.state(), REGION, newInstance("i-4", TENANT, TYPES.get(C1R2), group, ZONE_A, true)));

        assertThat(used).as("one member per host").hasSize(3);
        assertThat(u.code()).isEqualTo("AntiAffinity");
        assertThat(u.message()).contains("eu-west-2a: 3 hosts checked, 3 already hold a member of the anti-affinity group");
    }

    @Test
    @DisplayName("a hard anti-affinity group fills the 9 hosts of the region, one member each; the 10th fails with AntiAffinity")
    void antiAffinityRegion() {
        GroupId group = GroupId.of("pg-db");
        CloudFixture cloud = CloudFixture.withHosts(3).group(group, TENANT, GroupPolicy.HOST_ANTI_AFFINITY);
        Scheduler scheduler = new Scheduler(DEFAULTS);
        Set<HostId> used = new HashSet<>();
        for (int i = 1; i <= 9; i++) {
            used.add(placeAndRecord(scheduler, cloud, newInstance("i-" + i, TENANT, TYPES.get(C1R2), group, null, false), C1R2).host());
        }

        Unplaceable u = unplaceable(scheduler.place(cloud.state(), REGION, newInstance("i-10", TENANT, TYPES.get(C1R2), group, null, false)));

        assertThat(used).hasSize(9);
        assertThat(u.code()).isEqualTo("AntiAffinity");
    }

    // --- determinism and the limit --------------------------------------------------------------

    @Test
    @DisplayName("the same request on the same state gives the same host, also on a state rebuilt from the records")
    void deterministic() {
        CloudFixture cloud = CloudFixture.withHosts(10);
        Scheduler scheduler = new Scheduler(DEFAULTS);
        for (int i = 0; i < 10; i++) {
            placeAndRecord(scheduler, cloud, newInstance("i-warm-" + i, C1R2), C1R2);
        }
        PlacementRequest r = newInstance("i-0123456789abcdef0", C1R2);

        PlacementDecision first = scheduler.place(cloud.state(), REGION, r);
        PlacementDecision again = scheduler.place(cloud.state(), REGION, r);
        PlacementDecision replayed = new Scheduler(DEFAULTS).place(cloud.replayed(), REGION, r);

        assertThat(again).isEqualTo(first);
        assertThat(replayed).isEqualTo(first);
    }

    @Test
    @DisplayName("ties between equal hosts are broken by the instance's seed: different instances pick different hosts")
    void tiesFollowTheSeed() {
        CloudFixture cloud = CloudFixture.withHosts(10);
        Scheduler scheduler = new Scheduler(DEFAULTS);
        Set<HostId> chosen = new HashSet<>();

        for (int i = 0; i < 30; i++) {
            chosen.add(placed(scheduler.place(cloud.state(), REGION, pinned("i-" + i, TYPES.get(C1R2), ZONE_A))).host());
        }

        assertThat(chosen).as("first choices on an empty zone of 10").hasSizeGreaterThan(3);
    }

    @Test
    @DisplayName("bin-pack sends the next instance to the fullest feasible host, spread to the emptiest")
    void strategiesEndToEnd() {
        CloudFixture cloud = CloudFixture.withHosts(3);
        List<HostId> a = cloud.hosts(ZONE_A);
        cloud.place(new Resources(2, 4096), a.get(0));
        cloud.place(new Resources(5, 10240), a.get(1));
        cloud.place(new Resources(1, 2048), a.get(2));

        Placed binpack = placed(new Scheduler(NO_RESERVE).place(cloud.state(), REGION, pinned("i-1", TYPES.get(C1R2), ZONE_A)));
        Placed spread = placed(new Scheduler(NO_RESERVE.withStrategy(PlacementConfig.Strategy.SPREAD))
                .place(cloud.state(), REGION, pinned("i-1", TYPES.get(C1R2), ZONE_A)));

        assertThat(binpack.host()).isEqualTo(a.get(1));
        assertThat(spread.host()).isEqualTo(a.get(2));
    }

    /**
     * Zone a: 100 hosts of 16 vCPU; 90 are full, the other 10 carry 0..9 vCPU. Bin-pack's best is the one
     * carrying 9.
     */
    private static CloudFixture hundredHosts() {
        CloudFixture cloud = CloudFixture.topology();
        List<HostId> hosts = cloud.addHosts(ZONE_A, 100, new Resources(16, 32768));
        for (int i = 0; i < 100; i++) {
            int load = i % 10 == 3 ? (i / 10) : 16;
            if (load > 0) {
                cloud.place(new Resources(load, load * 2048L), hosts.get(i));
            }
        }
        return cloud;
    }

    @ParameterizedTest(name = "limitFloor {0}: every placement lands on a feasible host")
    @ValueSource(ints = {1, 2, 8, 1000})
    @DisplayName("whatever the limit, the chosen host is feasible")
    void limitKeepsFeasibility(int limitFloor) {
        CloudFixture cloud = hundredHosts();
        PlacementConfig config = new PlacementConfig(1.0, 1.0, PlacementConfig.Strategy.BINPACK, AdmissionPolicy.NONE, limitFloor);
        Scheduler scheduler = new Scheduler(config);

        for (int i = 0; i < 40; i++) {
            Placed p = placed(scheduler.place(cloud.state(), REGION, pinned("i-" + i, TYPES.get(C1R2), ZONE_A)));
            assertFeasible(cloud, config, p, TYPES.get(C1R2));
        }
    }

    @Test
    @DisplayName("a floor above the zone size scores every feasible host, so bin-pack always finds the fullest")
    void largeFloorFindsTheBest() {
        CloudFixture cloud = hundredHosts();
        HostId fullestFeasible = cloud.hosts(ZONE_A).get(93);
        Scheduler scheduler = new Scheduler(new PlacementConfig(1.0, 1.0, PlacementConfig.Strategy.BINPACK, AdmissionPolicy.NONE, 1000));

        for (int i = 0; i < 40; i++) {
            assertThat(placed(scheduler.place(cloud.state(), REGION, pinned("i-" + i, TYPES.get(C1R2), ZONE_A))).host())
                    .isEqualTo(fullestFeasible);
        }
    }

    @Test
    @DisplayName("a floor of 1 scores only ceil(log2 100) = 7 of the 10 feasible hosts, so some placements miss the fullest")
    void smallFloorSamples() {
        CloudFixture cloud = hundredHosts();
        HostId fullestFeasible = cloud.hosts(ZONE_A).get(93);
        Scheduler scheduler = new Scheduler(new PlacementConfig(1.0, 1.0, PlacementConfig.Strategy.BINPACK, AdmissionPolicy.NONE, 1));
        List<HostId> chosen = new ArrayList<>();

        for (int i = 0; i < 40; i++) {
            chosen.add(placed(scheduler.place(cloud.state(), REGION, pinned("i-" + i, TYPES.get(C1R2), ZONE_A))).host());
        }

        assertThat(chosen).contains(fullestFeasible);
        assertThat(chosen).as("with 7 of 10 scored, the best is missed about 3 times in 10").anyMatch(h -> !h.equals(fullestFeasible));
    }

    @Test
    @DisplayName("a dead or cordoned host is never chosen, even when it is the fullest")
    void unschedulableHostsAreSkipped() {
        CloudFixture cloud = CloudFixture.withHosts(3);
        List<HostId> a = cloud.hosts(ZONE_A);
        cloud.place(new Resources(6, 4096), a.get(0));
        cloud.place(new Resources(5, 4096), a.get(1));
        cloud.hostState(a.get(0), HostState.DEAD);
        cloud.scheduling(a.get(1), org.phare.core.model.Schedulability.CORDONED);

        Placed p = placed(new Scheduler(NO_RESERVE).place(cloud.state(), REGION, pinned("i-1", TYPES.get(C1R2), ZONE_A)));

        assertThat(p.host()).isEqualTo(a.get(2));
    }

    @Test
    @DisplayName("PlacementConfig refuses an overcommit below 1.0 and a limit floor below 1")
    void configValidation() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DEFAULTS.withOvercommit(0.9, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overcommit");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new PlacementConfig(1.0, 1.0, PlacementConfig.Strategy.BINPACK, AdmissionPolicy.NONE, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limitFloor");
    }
}
