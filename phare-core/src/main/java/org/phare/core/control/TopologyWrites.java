package org.phare.core.control;

import org.phare.core.record.TopologyRecord;
import java.util.List;
import org.phare.core.model.PlacementGroup;
import org.phare.core.state.CloudState;

/**
 * Writes of what the cloud is made of: region, zones, sites, instance types, images, placement groups.
 *
 * <p>Pure: {@code (state, command, now) -> (records, result)}; they validate, decide and return the records to
 * append, never changing the state (the caller replays the records once committed).
 */
public final class TopologyWrites {

    private TopologyWrites() {}

    public static Decision defineTopology(CloudState state, Command command) {
        return switch (command) {
            case Command.DefineRegion c -> new Decision(List.of(new TopologyRecord.RegionDefined(c.region())), Result.ok(c.region().id()));
            case Command.DefineZone c -> state.regions().containsKey(c.zone().region())
                    ? new Decision(List.of(new TopologyRecord.ZoneDefined(c.zone())), Result.ok(c.zone().id()))
                    : Decision.reject("NotFound", "zone " + c.zone().id() + ": region " + c.zone().region() + " does not exist");
            case Command.DefineSite c -> state.zones().containsKey(c.site().zone())
                    ? new Decision(List.of(new TopologyRecord.SiteDefined(c.site())), Result.ok(c.site().id()))
                    : Decision.reject("NotFound", "site " + c.site().id() + ": zone " + c.site().zone() + " does not exist");
            case Command.DefineInstanceType c -> c.type().resources().vcpus() < 1 || c.type().resources().memMiB() < 1
                    ? Decision.reject("InvalidParameterValue", "instance type " + c.type().id() + " needs at least 1 vCPU and 1 MiB")
                    : new Decision(List.of(new TopologyRecord.InstanceTypeDefined(c.type())), Result.ok(c.type().id()));
            case Command.DefineImage c -> new Decision(List.of(new TopologyRecord.ImageDefined(c.image())), Result.ok(c.image().id()));
            case Command.CreatePlacementGroup c -> createGroup(state, c.group());
            default -> throw new IllegalArgumentException("not a topology command: " + command);
        };
    }

    private static Decision createGroup(CloudState state, PlacementGroup group) {
        PlacementGroup existing = state.groups().get(group.id());
        if (existing != null && !existing.equals(group)) {
            return Decision.reject("Conflict", "placement group " + group.id() + " already exists with another owner or policy");
        }
        return new Decision(List.of(new TopologyRecord.PlacementGroupCreated(group)), Result.ok(group.id()));
    }
}
