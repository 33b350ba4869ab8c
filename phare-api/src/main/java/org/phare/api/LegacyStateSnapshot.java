package org.phare.api;

import java.util.List;
import java.util.Map;
import org.phare.core.continuity.Person;
import org.phare.core.continuity.Plan;
import org.phare.core.continuity.PlanVersion;
import org.phare.core.model.AccessKey;
import org.phare.core.model.Account;
import org.phare.core.model.Host;
import org.phare.core.model.Image;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceType;
import org.phare.core.model.KeyPair;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Region;
import org.phare.core.model.Site;
import org.phare.core.model.Zone;
import org.phare.core.record.ContinuityRecord;
import org.phare.core.state.Alarm;
import org.phare.core.state.ClusterManager;
import org.phare.core.state.ComputeManager;
import org.phare.core.state.ContinuityManager;
import org.phare.core.state.CrisisCell;
import org.phare.core.state.Failovers;
import org.phare.core.state.IdentityManager;
import org.phare.core.state.StateSnapshot;
import org.phare.core.state.TagsManager;
import org.phare.core.state.TopologyManager;

/**
 * A state snapshot as the first release wrote it (snapshot file format 1): one flat object, before the state was split
 * into sections by domain. Read only, for ever, and turned into today's {@link StateSnapshot}; fields absent from the
 * oldest files read as empty.
 */
public record LegacyStateSnapshot(
        List<Region> regions, List<Zone> zones, List<Site> sites, List<InstanceType> instanceTypes, List<Image> images,
        List<PlacementGroup> groups, List<Host> hosts, List<Instance> instances,
        List<ComputeManager.HostInstances> hostInstances, List<Alarm> alarms, long instanceSeq, long appliedRecords,
        double cpuOvercommit, double memOvercommit, List<Account> accounts, List<AccessKey> accessKeys,
        List<KeyPair> keyPairs, long keyPairSeq, List<TagsManager.ResourceTags> tags, Plan plan,
        List<PlanVersion> planHistory, List<Person> staff, List<ContinuityRecord.LevelChanged> levelHistory,
        Map<String, String> closedSites, List<ContinuityRecord.LevelRecommended> recommendations, CrisisCell.Data crisis,
        Failovers.Data failovers, Long idSalt) {

    /** The same state, by section; the log format of a cloud of the first release is 1. */
    public StateSnapshot toSections() {
        return new StateSnapshot(appliedRecords,
                new TopologyManager.Section(regions, zones, sites, instanceTypes, images, groups),
                new ComputeManager.Section(hosts, instances, hostInstances, alarms, instanceSeq, cpuOvercommit, memOvercommit,
                        failovers),
                new IdentityManager.Section(accounts, accessKeys, keyPairs, keyPairSeq),
                new TagsManager.Section(tags),
                new ContinuityManager.Section(plan, planHistory, staff, levelHistory, closedSites, recommendations, crisis),
                new ClusterManager.Section(idSalt == null ? 0 : idSalt, 1));
    }
}
