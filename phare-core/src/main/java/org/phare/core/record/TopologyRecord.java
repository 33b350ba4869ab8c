package org.phare.core.record;

import org.phare.core.model.Image;
import org.phare.core.model.InstanceType;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Region;
import org.phare.core.model.Site;
import org.phare.core.model.Zone;

/**
 * The region, its zones and sites, the instance types, images and placement groups: what the cloud is made of.
 * One family of {@link Record}s: a manager of the state replays it alone (see {@code org.phare.core.state}).
 */
public sealed interface TopologyRecord extends Record {

    record RegionDefined(Region region) implements TopologyRecord {}

    record ZoneDefined(Zone zone) implements TopologyRecord {}

    record SiteDefined(Site site) implements TopologyRecord {}

    record InstanceTypeDefined(InstanceType type) implements TopologyRecord {}

    record ImageDefined(Image image) implements TopologyRecord {}

    record PlacementGroupCreated(PlacementGroup group) implements TopologyRecord {}
}
