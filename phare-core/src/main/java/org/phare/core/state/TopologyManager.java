package org.phare.core.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.phare.core.model.GroupId;
import org.phare.core.model.Image;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Region;
import org.phare.core.model.RegionId;
import org.phare.core.model.Site;
import org.phare.core.model.SiteId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;
import org.phare.core.record.TopologyRecord;

/**
 * What the cloud is made of: its region, zones and sites, the instance types and images it offers, placement groups.
 * Replays {@link TopologyRecord}s alone; its snapshot section is {@link Section}.
 */
public final class TopologyManager {
    private final Map<RegionId, Region> regions = new TreeMap<>();
    private final Map<ZoneId, Zone> zones = new TreeMap<>();
    private final Map<SiteId, Site> sites = new TreeMap<>();
    private final Map<InstanceTypeId, InstanceType> types = new TreeMap<>();
    private final Map<ImageId, Image> images = new TreeMap<>();
    private final Map<GroupId, PlacementGroup> groups = new TreeMap<>();

    /** The topology's snapshot section ({@code topology/1}). */
    public record Section(List<Region> regions, List<Zone> zones, List<Site> sites, List<InstanceType> instanceTypes,
                          List<Image> images, List<PlacementGroup> groups) {
        public static final Section EMPTY = new Section(null, null, null, null, null, null);

        public Section {
            regions = regions == null ? List.of() : List.copyOf(regions);
            zones = zones == null ? List.of() : List.copyOf(zones);
            sites = sites == null ? List.of() : List.copyOf(sites);
            instanceTypes = instanceTypes == null ? List.of() : List.copyOf(instanceTypes);
            images = images == null ? List.of() : List.copyOf(images);
            groups = groups == null ? List.of() : List.copyOf(groups);
        }
    }

    void replay(TopologyRecord record) {
        switch (record) {
            case TopologyRecord.RegionDefined r -> regions.put(r.region().id(), r.region());
            case TopologyRecord.ZoneDefined r -> zones.put(r.zone().id(), r.zone());
            case TopologyRecord.SiteDefined r -> sites.put(r.site().id(), r.site());
            case TopologyRecord.InstanceTypeDefined r -> types.put(r.type().id(), r.type());
            case TopologyRecord.ImageDefined r -> images.put(r.image().id(), r.image());
            case TopologyRecord.PlacementGroupCreated r -> groups.put(r.group().id(), r.group());
        }
    }

    Section section() {
        return new Section(List.copyOf(regions.values()), List.copyOf(zones.values()), List.copyOf(sites.values()),
                List.copyOf(types.values()), List.copyOf(images.values()), List.copyOf(groups.values()));
    }

    static TopologyManager restore(Section s) {
        TopologyManager t = new TopologyManager();
        s.regions().forEach(r -> Snapshots.putNew(t.regions, r.id(), r, "region"));
        s.zones().forEach(z -> Snapshots.putNew(t.zones, z.id(), z, "zone"));
        s.sites().forEach(x -> Snapshots.putNew(t.sites, x.id(), x, "site"));
        s.instanceTypes().forEach(x -> Snapshots.putNew(t.types, x.id(), x, "instance type"));
        s.images().forEach(x -> Snapshots.putNew(t.images, x.id(), x, "image"));
        s.groups().forEach(x -> Snapshots.putNew(t.groups, x.id(), x, "placement group"));
        return t;
    }

    void differences(TopologyManager other, List<String> diffs) {
        Snapshots.compare(diffs, "regions", regions, other.regions);
        Snapshots.compare(diffs, "zones", zones, other.zones);
        Snapshots.compare(diffs, "sites", sites, other.sites);
        Snapshots.compare(diffs, "types", types, other.types);
        Snapshots.compare(diffs, "images", images, other.images);
        Snapshots.compare(diffs, "groups", groups, other.groups);
    }

    Map<RegionId, Region> regions() {
        return Collections.unmodifiableMap(regions);
    }

    Map<ZoneId, Zone> zones() {
        return Collections.unmodifiableMap(zones);
    }

    Map<SiteId, Site> sites() {
        return Collections.unmodifiableMap(sites);
    }

    Map<InstanceTypeId, InstanceType> instanceTypes() {
        return Collections.unmodifiableMap(types);
    }

    Map<ImageId, Image> images() {
        return Collections.unmodifiableMap(images);
    }

    Map<GroupId, PlacementGroup> groups() {
        return Collections.unmodifiableMap(groups);
    }

    List<ZoneId> zonesOf(RegionId region) {
        List<ZoneId> result = new ArrayList<>();
        for (Zone z : zones.values()) {
            if (z.region().equals(region)) {
                result.add(z.id());
            }
        }
        return result;
    }
}
