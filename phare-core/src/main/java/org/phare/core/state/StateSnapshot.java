package org.phare.core.state;

import java.util.List;
import java.util.Objects;
import org.phare.core.model.AccessKey;
import org.phare.core.model.Account;
import org.phare.core.model.Host;
import org.phare.core.model.HostId;
import org.phare.core.model.Image;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceType;
import org.phare.core.model.KeyPair;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Region;
import org.phare.core.model.Site;
import org.phare.core.model.Zone;

/**
 * The primary data of a {@link CloudState}, as {@link CloudState#snapshot()} captures it and
 * {@link CloudState#restore(StateSnapshot)} rebuilds it: every derived index (usage, zone aggregates, recovery
 * queue, anti-affinity and tenant counts, slot size) is recomputed on restore, never stored.
 *
 * <p>Orders are part of the data, since the controller iterates them and its decisions must not depend on
 * whether the state was replayed or restored: {@code hosts} in registration order, {@code instances} in
 * creation order, and {@code hostInstances} gives, for each host with instances, the order of the instances it
 * holds. That last order is the order in which they last changed on the host (a replay removes and re-adds an
 * instance on each change), which neither of the other two lists determines; the controller evicts and fences a
 * host's instances in that order.
 *
 * <p>Immutable (lists are copied) and made only of records, so it can be serialised off the event loop and
 * travels as JSON through {@code Json.mapper()}.
 *
 * @param appliedRecords records applied since the empty state (the restored state continues the count)
 */
public record StateSnapshot(
        List<Region> regions,
        List<Zone> zones,
        List<Site> sites,
        List<InstanceType> instanceTypes,
        List<Image> images,
        List<PlacementGroup> groups,
        List<Host> hosts,
        List<Instance> instances,
        List<HostInstances> hostInstances,
        List<Alarm> alarms,
        long instanceSeq,
        long appliedRecords,
        double cpuOvercommit,
        double memOvercommit,
        List<Account> accounts,
        List<AccessKey> accessKeys,
        List<KeyPair> keyPairs,
        long keyPairSeq,
        List<ResourceTags> tags,
        org.phare.core.continuity.Plan plan,
        List<org.phare.core.continuity.PlanVersion> planHistory,
        List<org.phare.core.continuity.Person> staff,
        List<org.phare.core.record.Record.LevelChanged> levelHistory,
        java.util.Map<String, String> closedSites,
        List<org.phare.core.record.Record.LevelRecommended> recommendations,
        org.phare.core.continuity.CrisisCell.Data crisis,
        Failovers.Data failovers,
        Long idSalt) {

    /** The tags of one resource. */
    public record ResourceTags(String resource, java.util.Map<String, String> tags) {
        public ResourceTags {
            Objects.requireNonNull(resource, "resource");
            tags = java.util.Map.copyOf(tags);
        }
    }

    /** The instances on one host, in the host's own order. */
    public record HostInstances(HostId host, List<InstanceId> instances) {
        public HostInstances {
            Objects.requireNonNull(host, "host");
            instances = List.copyOf(instances);
        }
    }

    public StateSnapshot {
        regions = List.copyOf(regions);
        zones = List.copyOf(zones);
        sites = List.copyOf(sites);
        instanceTypes = List.copyOf(instanceTypes);
        images = List.copyOf(images);
        groups = List.copyOf(groups);
        hosts = List.copyOf(hosts);
        instances = List.copyOf(instances);
        hostInstances = List.copyOf(hostInstances);
        alarms = List.copyOf(alarms);
        // Absent in snapshots written before accounts existed.
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
        accessKeys = accessKeys == null ? List.of() : List.copyOf(accessKeys);
        keyPairs = keyPairs == null ? List.of() : List.copyOf(keyPairs);
        tags = tags == null ? List.of() : List.copyOf(tags);
        planHistory = planHistory == null ? List.of() : List.copyOf(planHistory);
        staff = staff == null ? List.of() : List.copyOf(staff);
        levelHistory = levelHistory == null ? List.of() : List.copyOf(levelHistory);
        closedSites = closedSites == null ? java.util.Map.of() : java.util.Map.copyOf(closedSites);
        recommendations = recommendations == null ? List.of() : List.copyOf(recommendations);
        crisis = crisis == null ? org.phare.core.continuity.CrisisCell.Data.EMPTY : crisis;
        failovers = failovers == null ? Failovers.Data.EMPTY : failovers;
        idSalt = idSalt == null ? 0L : idSalt; // absent before clouds drew one: ids were derived with 0
    }
}
