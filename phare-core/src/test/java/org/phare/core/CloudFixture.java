package org.phare.core;

import org.phare.core.record.ComputeRecord;
import org.phare.core.record.TopologyRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.phare.core.model.GroupId;
import org.phare.core.model.GroupPolicy;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.Image;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Region;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.model.Site;
import org.phare.core.model.SiteId;
import org.phare.core.model.TenantId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/**
 * A small cloud built the only way state is ever built: by replaying records. Region {@code eu-west-2},
 * zones {@code eu-west-2a/b/c} with one site each, three instance types, one image, and as many hosts as
 * the test asks for. Every record is kept, so {@link #replayed()} rebuilds the same state from scratch.
 *
 * <p>Host ids read {@code eu-west-2a-h1}, {@code eu-west-2a-h2}, ... in registration order.
 */
public final class CloudFixture {
    public static final RegionId REGION = RegionId.of("eu-west-2");
    public static final ZoneId ZONE_A = ZoneId.of("eu-west-2a");
    public static final ZoneId ZONE_B = ZoneId.of("eu-west-2b");
    public static final ZoneId ZONE_C = ZoneId.of("eu-west-2c");
    public static final List<ZoneId> ZONES = List.of(ZONE_A, ZONE_B, ZONE_C);

    public static final InstanceTypeId C1R2 = InstanceTypeId.of("tinav5.c1r2");
    public static final InstanceTypeId C2R4 = InstanceTypeId.of("tinav5.c2r4");
    public static final InstanceTypeId C4R8 = InstanceTypeId.of("tinav5.c4r8");
    public static final Map<InstanceTypeId, Resources> TYPES = Map.of(
            C1R2, new Resources(1, 2048),
            C2R4, new Resources(2, 4096),
            C4R8, new Resources(4, 8192));

    public static final ImageId IMAGE = ImageId.of("ami-ubuntu-2404");
    public static final TenantId TENANT = TenantId.of("acme");
    public static final TenantId OTHER_TENANT = TenantId.of("globex");

    /** 8 vCPU / 16 GiB: room for two c4r8, four c2r4 or eight c1r2. */
    public static final Resources HOST_CAPACITY = new Resources(8, 16384);

    public static final long T0_MS = FakeClock.START_EPOCH_MS;

    private final List<Record> records = new ArrayList<>();
    private final CloudState state = new CloudState();
    private int instanceCounter;

    private CloudFixture() {}

    /** Region, zones, sites, types and image; no hosts yet. */
    public static CloudFixture topology() {
        CloudFixture f = new CloudFixture();
        f.apply(new TopologyRecord.RegionDefined(new Region(REGION, "London")));
        for (ZoneId z : ZONES) {
            f.apply(new TopologyRecord.ZoneDefined(new Zone(z, REGION)));
            f.apply(new TopologyRecord.SiteDefined(new Site(site(z), z, "datacenter of " + z)));
        }
        TYPES.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> f.apply(new TopologyRecord.InstanceTypeDefined(new InstanceType(e.getKey(), e.getValue()))));
        f.apply(new TopologyRecord.ImageDefined(new Image(IMAGE, "Ubuntu 24.04", "http-echo")));
        return f;
    }

    /** The topology plus {@code hostsPerZone} hosts of {@link #HOST_CAPACITY} in every zone. */
    public static CloudFixture withHosts(int hostsPerZone) {
        CloudFixture f = topology();
        for (ZoneId z : ZONES) {
            f.addHosts(z, hostsPerZone, HOST_CAPACITY);
        }
        return f;
    }

    public static SiteId site(ZoneId zone) {
        return SiteId.of(zone + "-s1");
    }

    public static HostId hostId(ZoneId zone, int n) {
        return HostId.of(zone + "-h" + n);
    }

    // --- building --------------------------------------------------------------------------------

    public CloudFixture apply(Record r) {
        records.add(r);
        state.replay(r);
        return this;
    }

    public List<HostId> addHosts(ZoneId zone, int count, Resources capacity) {
        List<HostId> added = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            added.add(addHost(zone, capacity));
        }
        return added;
    }

    public HostId addHost(ZoneId zone, Resources capacity) {
        HostId id = hostId(zone, state.hostsIn(zone).size() + 1);
        apply(new ComputeRecord.HostRegistered(id, zone, site(zone), capacity, Map.of(), T0_MS));
        return id;
    }

    public CloudFixture hostState(HostId host, HostState hostState) {
        return apply(new ComputeRecord.HostStateChanged(host, hostState, "set by test", T0_MS));
    }

    public CloudFixture scheduling(HostId host, Schedulability scheduling) {
        return apply(new ComputeRecord.HostSchedulingChanged(host, scheduling, "set by test"));
    }

    public CloudFixture group(GroupId group, TenantId tenant, GroupPolicy policy) {
        return apply(new TopologyRecord.PlacementGroupCreated(new PlacementGroup(group, tenant, policy)));
    }

    /** An instance of {@code type} for {@link #TENANT}, placed on {@code host} at generation 1. */
    public InstanceId place(InstanceTypeId type, HostId host) {
        return place(TENANT, type, TYPES.get(type), host, null);
    }

    /** An instance with an arbitrary demand, for shaping a host's free capacity exactly. */
    public InstanceId place(Resources demand, HostId host) {
        return place(TENANT, InstanceTypeId.of("custom"), demand, host, null);
    }

    public InstanceId place(TenantId tenant, InstanceTypeId type, HostId host, GroupId group) {
        return place(tenant, type, TYPES.get(type), host, group);
    }

    private InstanceId place(TenantId tenant, InstanceTypeId type, Resources demand, HostId host, GroupId group) {
        InstanceId id = InstanceId.of("i-fixture-" + (++instanceCounter));
        ZoneId zone = state.host(host).zone();
        apply(new ComputeRecord.InstanceRequested(id, tenant, id.value(), type, demand, IMAGE, zone, true, 0, group, T0_MS));
        apply(new ComputeRecord.InstancePlaced(id, host, 1, ComputeRecord.Placement.INITIAL, T0_MS));
        return id;
    }

    // --- reading ---------------------------------------------------------------------------------

    public CloudState state() {
        return state;
    }

    public List<Record> records() {
        return Collections.unmodifiableList(records);
    }

    /** A fresh state rebuilt from this fixture's records. */
    public CloudState replayed() {
        CloudState fresh = new CloudState();
        fresh.replayAll(records);
        return fresh;
    }

    public List<HostId> hosts(ZoneId zone) {
        return state.hostsIn(zone);
    }
}
