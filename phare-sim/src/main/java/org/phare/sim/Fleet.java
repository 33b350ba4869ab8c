package org.phare.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.phare.core.agent.Protocol;
import org.phare.core.control.Command;
import org.phare.core.model.GroupId;
import org.phare.core.model.GroupPolicy;
import org.phare.core.model.HostId;
import org.phare.core.model.Image;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Region;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.Site;
import org.phare.core.model.SiteId;
import org.phare.core.model.TenantId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;

/**
 * The simulated provider: one region, its zones, two sites per zone, hosts spread evenly, and a workload
 * sized like a provider that plans for the loss of a zone: hosts are sized so the instances fill about
 * {@code targetUtilisation} of the vCPUs, with a mix of instance types, priorities and placement groups.
 */
public final class Fleet {
    public static final RegionId REGION = new RegionId("eu-west-2");
    public static final ImageId IMAGE = new ImageId("debian-12");

    /** Instance types and their share of the workload. */
    record Mix(InstanceType type, double share) {}

    static final List<Mix> TYPES = List.of(
            new Mix(new InstanceType(new InstanceTypeId("t.small"), new Resources(1, 2048)), 0.40),
            new Mix(new InstanceType(new InstanceTypeId("t.medium"), new Resources(2, 4096)), 0.30),
            new Mix(new InstanceType(new InstanceTypeId("t.large"), new Resources(4, 8192)), 0.20),
            new Mix(new InstanceType(new InstanceTypeId("t.xlarge"), new Resources(8, 16384)), 0.10));

    private final List<Command> topology = new ArrayList<>();
    private final List<Protocol.Registration> hosts = new ArrayList<>();
    private final List<Command.RunInstances> workload = new ArrayList<>();
    private final List<ZoneId> zones = new ArrayList<>();
    private final Resources hostCapacity;

    Fleet(int hostCount, int zoneCount, int sitesPerZone, int instanceCount, int tenantCount,
          double targetUtilisation, SplittableRandom random) {
        topology.add(new Command.DefineRegion(new Region(REGION, "Simulated region")));
        for (int z = 0; z < zoneCount; z++) {
            ZoneId zone = new ZoneId(REGION.value() + (char) ('a' + z));
            zones.add(zone);
            topology.add(new Command.DefineZone(new Zone(zone, REGION)));
            for (int s = 1; s <= sitesPerZone; s++) {
                topology.add(new Command.DefineSite(new Site(site(zone, s), zone, "datacenter " + s + " of " + zone)));
            }
        }
        for (Mix m : TYPES) {
            topology.add(new Command.DefineInstanceType(m.type()));
        }
        topology.add(new Command.DefineImage(new Image(IMAGE, "Debian 12", "http-echo")));

        double meanVcpus = TYPES.stream().mapToDouble(m -> m.type().resources().vcpus() * m.share()).sum();
        int vcpus = (int) Math.ceil(instanceCount * meanVcpus / (hostCount * targetUtilisation) / 4.0) * 4;
        vcpus = Math.max(16, vcpus);
        hostCapacity = new Resources(vcpus, vcpus * 4096L);
        for (int h = 0; h < hostCount; h++) {
            ZoneId zone = zones.get(h % zoneCount);
            int indexInZone = h / zoneCount;
            SiteId site = site(zone, 1 + indexInZone % sitesPerZone);
            HostId id = new HostId(String.format("h-%s-%05d", zone.value().substring(zone.value().length() - 1), indexInZone));
            hosts.add(new Protocol.Registration(id, zone, site, hostCapacity, Map.of("rack", "r" + (indexInZone / 20))));
        }

        List<TenantId> tenants = new ArrayList<>();
        for (int t = 1; t <= tenantCount; t++) {
            tenants.add(new TenantId(String.format("tenant-%03d", t)));
        }
        // A few placement groups: small enough that hard anti-affinity can always be met after a zone loss.
        List<GroupId> groups = new ArrayList<>();
        int groupCount = Math.max(1, instanceCount / 200);
        int groupSize = Math.max(2, Math.min(5, hostCount / (zoneCount * 2)));
        for (int g = 0; g < groupCount; g++) {
            GroupId id = new GroupId(String.format("pg-%04d", g));
            TenantId owner = tenants.get(g % tenants.size());
            GroupPolicy policy = g % 2 == 0 ? GroupPolicy.HOST_ANTI_AFFINITY : GroupPolicy.ZONE_SPREAD;
            topology.add(new Command.CreatePlacementGroup(new PlacementGroup(id, owner, policy)));
            groups.add(id);
        }
        int grouped = 0;
        for (int i = 0; i < instanceCount; i++) {
            InstanceType type = pick(random.nextDouble());
            double p = random.nextDouble();
            int priority = p < 0.10 ? 900 : p < 0.40 ? 500 : 100;
            GroupId group = null;
            TenantId tenant = tenants.get(random.nextInt(tenants.size()));
            if (grouped < groupCount * groupSize && random.nextDouble() < 0.05) {
                group = groups.get(grouped / groupSize);
                tenant = tenants.get((grouped / groupSize) % tenants.size());
                grouped++;
            }
            workload.add(new Command.RunInstances(tenant, type.id(), IMAGE, null, 1, priority, group, null));
        }
    }

    /**
     * A given cloud rather than a generated one (what a drill's prediction simulates): its topology, its hosts and
     * the instances to place, in order.
     */
    Fleet(List<Command> topology, List<ZoneId> zones, List<Protocol.Registration> hosts, List<Command.RunInstances> workload) {
        this.topology.addAll(topology);
        this.zones.addAll(zones);
        this.hosts.addAll(hosts);
        this.workload.addAll(workload);
        this.hostCapacity = hosts.isEmpty() ? new Resources(0, 0) : hosts.getFirst().capacity();
    }

    private static SiteId site(ZoneId zone, int n) {
        return new SiteId(zone.value() + "-dc" + n);
    }

    private static InstanceType pick(double u) {
        double acc = 0;
        for (Mix m : TYPES) {
            acc += m.share();
            if (u < acc) {
                return m.type();
            }
        }
        return TYPES.getLast().type();
    }

    List<Command> topology() {
        return topology;
    }

    List<Protocol.Registration> hosts() {
        return hosts;
    }

    List<Command.RunInstances> workload() {
        return workload;
    }

    List<ZoneId> zones() {
        return zones;
    }

    Resources hostCapacity() {
        return hostCapacity;
    }
}
