package org.phare.bench;

import org.phare.core.record.ComputeRecord;
import org.phare.core.record.TopologyRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.phare.core.control.Clock;
import org.phare.core.control.Command;
import org.phare.core.control.Controller;
import org.phare.core.control.ControllerConfig;
import org.phare.core.control.Journal;
import org.phare.core.control.Result;
import org.phare.core.model.HostId;
import org.phare.core.model.Image;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.Region;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.Site;
import org.phare.core.model.SiteId;
import org.phare.core.model.TenantId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;
import org.phare.core.placement.PlacementConfig;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/**
 * The cloud the benchmarks run against, shaped like the simulator's fleet: one region, 3 zones of 2 sites,
 * hosts spread evenly over zones and sites, one instance type {@code t.medium}. State is built only by
 * replaying records; instances are added only through a {@link Controller}.
 */
final class BenchCloud {
    static final RegionId REGION = new RegionId("bench-1");
    static final int ZONES = 3;
    static final int SITES_PER_ZONE = 2;
    static final int HOSTS = 10_000;
    static final Resources HOST = new Resources(44, 180_224);
    static final InstanceType T_MEDIUM = new InstanceType(new InstanceTypeId("t.medium"), new Resources(2, 4096));
    static final ImageId IMAGE = new ImageId("debian-12");
    static final PlacementConfig PLACEMENT = PlacementConfig.defaults().withAdmission(PlacementConfig.AdmissionPolicy.ZONE);
    private static final long EPOCH_MS = 1_750_000_000_000L;

    private BenchCloud() {}

    /** Region, zones, sites, type, image and {@code hosts} hosts of {@code capacity}, as records. */
    static List<Record> topology(int hosts, Resources capacity) {
        List<Record> records = new ArrayList<>();
        records.add(new TopologyRecord.RegionDefined(new Region(REGION, "benchmark region")));
        List<ZoneId> zones = new ArrayList<>();
        for (int z = 0; z < ZONES; z++) {
            ZoneId zone = new ZoneId(REGION.value() + (char) ('a' + z));
            zones.add(zone);
            records.add(new TopologyRecord.ZoneDefined(new Zone(zone, REGION)));
            for (int s = 1; s <= SITES_PER_ZONE; s++) {
                records.add(new TopologyRecord.SiteDefined(new Site(site(zone, s), zone, "datacenter " + s)));
            }
        }
        records.add(new TopologyRecord.InstanceTypeDefined(T_MEDIUM));
        records.add(new TopologyRecord.ImageDefined(new Image(IMAGE, "Debian 12", "http-echo")));
        for (int h = 0; h < hosts; h++) {
            ZoneId zone = zones.get(h % ZONES);
            int indexInZone = h / ZONES;
            HostId id = new HostId(String.format("h-%s-%05d", (char) ('a' + h % ZONES), indexInZone));
            records.add(new ComputeRecord.HostRegistered(id, zone, site(zone, 1 + indexInZone % SITES_PER_ZONE), capacity,
                    Map.of(), EPOCH_MS));
        }
        return records;
    }

    private static SiteId site(ZoneId zone, int n) {
        return new SiteId(zone.value() + "-dc" + n);
    }

    /** A fresh state holding the topology. */
    static CloudState state(int hosts, Resources capacity) {
        CloudState state = new CloudState();
        state.replayAll(topology(hosts, capacity));
        return state;
    }

    /**
     * A controller with the benchmark placement policy and a fixed clock; {@code journal} commits at once into
     * {@code state}, the committed state the controller reads (so {@code state} follows every write, as a member's
     * replica does).
     */
    static Controller controller(CloudState state, InMemoryJournal journal) {
        ControllerConfig config = ControllerConfig.defaults(REGION).withPlacement(PLACEMENT);
        journal.committed = state;
        return new Controller(config, state, journal, FIXED_CLOCK, 1);
    }

    /** Runs {@code count} t.medium instances for {@code tenant}. */
    static Command.RunInstances runMedium(TenantId tenant, int count) {
        return new Command.RunInstances(tenant, T_MEDIUM.id(), IMAGE, null, count, 0, null, null);
    }

    /** Places {@code instances} t.medium instances, 1000 per command, spread over 100 tenants; fails loudly. */
    static void fill(Controller controller, long instances) {
        for (long done = 0, k = 0; done < instances; k++) {
            int count = (int) Math.min(1000, instances - done);
            Result r = controller.submit(runMedium(new TenantId(String.format("tenant-%03d", k % 100)), count));
            if (!r.isOk()) {
                throw new IllegalStateException("fill stopped after " + done + " instances: " + r);
            }
            done += count;
        }
    }

    /** Time stands still: the benchmarks never tick, and records only need a timestamp. */
    static final Clock FIXED_CLOCK = new Clock() {
        @Override
        public long monotonicNanos() {
            return 1_000_000_000L;
        }

        @Override
        public long epochMillis() {
            return EPOCH_MS;
        }
    };

    /** Keeps every appended record in memory, in order, like the simulator's log, and commits it at once. */
    static final class InMemoryJournal implements Journal {
        final List<Record> records = new ArrayList<>();
        CloudState committed;

        @Override
        public void append(List<Record> batch) {
            records.addAll(batch);
            committed.replayAll(batch);
        }
    }
}
