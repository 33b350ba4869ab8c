package org.phare.server;

import java.util.ArrayList;
import java.util.List;
import org.phare.core.control.Command;
import org.phare.core.model.Image;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.Region;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.Site;
import org.phare.core.model.SiteId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;

/**
 * The topology a new cloud starts with, as a JSON file ({@code --config}) or the embedded default: region
 * {@code eu-west-2}, zones {@code eu-west-2a/b/c} with two datacenters each, a few instance types and the
 * built-in {@code http-echo} image. Applied once, to an empty log; later changes go through the API.
 */
public record Topology(String region, String description, List<ZoneSpec> zones, List<TypeSpec> instanceTypes,
                       List<ImageSpec> images) {

    public record ZoneSpec(String id, List<String> sites) {}

    public record TypeSpec(String id, int vcpus, long memMiB) {}

    public record ImageSpec(String id, String description, String kind) {}

    public static Topology defaults() {
        List<ZoneSpec> zones = new ArrayList<>();
        for (String z : List.of("a", "b", "c")) {
            String zone = "eu-west-2" + z;
            zones.add(new ZoneSpec(zone, List.of(zone + "-dc1", zone + "-dc2")));
        }
        return new Topology("eu-west-2", "Paris", zones,
                List.of(new TypeSpec("tinav5.c1r1", 1, 1024), new TypeSpec("tinav5.c1r2", 1, 2048),
                        new TypeSpec("tinav5.c2r4", 2, 4096), new TypeSpec("tinav5.c4r8", 4, 8192)),
                List.of(new ImageSpec("http-echo", "A small HTTP service that answers with its instance id and host", "http-echo")));
    }

    /** The commands that create this topology, in dependency order. */
    public List<Command> commands() {
        List<Command> out = new ArrayList<>();
        RegionId r = new RegionId(region);
        out.add(new Command.DefineRegion(new Region(r, description == null ? region : description)));
        for (ZoneSpec z : zones) {
            ZoneId zone = new ZoneId(z.id());
            out.add(new Command.DefineZone(new Zone(zone, r)));
            for (String s : z.sites()) {
                out.add(new Command.DefineSite(new Site(new SiteId(s), zone, s)));
            }
        }
        for (TypeSpec t : instanceTypes) {
            out.add(new Command.DefineInstanceType(new InstanceType(new InstanceTypeId(t.id()), new Resources(t.vcpus(), t.memMiB()))));
        }
        for (ImageSpec i : images) {
            out.add(new Command.DefineImage(new Image(new ImageId(i.id()), i.description(), i.kind())));
        }
        return out;
    }
}
