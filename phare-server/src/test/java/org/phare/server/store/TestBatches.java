package org.phare.server.store;

import org.phare.core.record.TopologyRecord;
import java.util.List;
import org.phare.core.model.Region;
import org.phare.core.model.RegionId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;
import org.phare.core.record.Record;

/** Small, distinct record batches for the log's tests and its probe. */
final class TestBatches {
    private TestBatches() {}

    static RegionId region(int n) {
        return RegionId.of(String.format("r-%06d", n));
    }

    /** Batch number {@code n} (from 1): a region and one zone in it, both named after {@code n}. */
    static List<Record> batch(int n) {
        RegionId region = region(n);
        return List.of(
                new TopologyRecord.RegionDefined(new Region(region, "region " + n)),
                new TopologyRecord.ZoneDefined(new Zone(ZoneId.of(region.value() + "-a"), region)));
    }
}
