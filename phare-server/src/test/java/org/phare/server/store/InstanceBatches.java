package org.phare.server.store;

import org.phare.core.record.ComputeRecord;
import org.phare.core.record.TopologyRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.phare.core.model.HostId;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.Region;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.SiteId;
import org.phare.core.model.TenantId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;
import org.phare.core.record.Record;

/** Batches that build a realistic state: a topology with hosts, then one instance requested and placed per batch. */
final class InstanceBatches {
    static final RegionId REGION = RegionId.of("eu-west-2");
    static final ZoneId ZONE = ZoneId.of("eu-west-2a");
    static final Resources SMALL = new Resources(1, 2048);

    private InstanceBatches() {}

    static HostId host(int h) {
        return HostId.of(String.format("h-a-%05d", h));
    }

    /** The region, a zone and {@code hosts} hosts large enough for anything. */
    static List<Record> topology(int hosts) {
        List<Record> batch = new ArrayList<>(List.of(
                new TopologyRecord.RegionDefined(new Region(REGION, "London")),
                new TopologyRecord.ZoneDefined(new Zone(ZONE, REGION))));
        for (int h = 1; h <= hosts; h++) {
            batch.add(new ComputeRecord.HostRegistered(host(h), ZONE, SiteId.of("dc1"), new Resources(1024, 2_097_152),
                    Map.of(), h));
        }
        return batch;
    }

    /** Instance number {@code n} (from 1), requested and placed on one of the {@code hosts} hosts. */
    static List<Record> instance(int n, int hosts) {
        InstanceId id = InstanceId.of(String.format("i-%017x", n));
        return List.of(
                new ComputeRecord.InstanceRequested(id, TenantId.of("acme"), "vm-" + n, InstanceTypeId.of("tinav5.c1r2"), SMALL,
                        ImageId.of("http-echo"), null, false, n % 3, null, n),
                new ComputeRecord.InstancePlaced(id, host(1 + n % hosts), 1, ComputeRecord.Placement.INITIAL, n));
    }
}
