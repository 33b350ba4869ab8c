package org.phare.api;

import org.phare.core.record.ComputeRecord;
import org.phare.core.record.ContinuityRecord;
import org.phare.core.record.TopologyRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.model.GroupId;
import org.phare.core.model.GroupPolicy;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.Image;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.PendingReason;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.Region;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.model.Site;
import org.phare.core.model.SiteId;
import org.phare.core.model.TenantId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;
import org.phare.core.model.DesiredState;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;
import org.phare.core.state.StateSnapshot;

@DisplayName("Json: a state snapshot round-trips through the shared mapper")
class StateSnapshotJsonTest {

    static CloudState sample() {
        RegionId region = new RegionId("eu-west-2");
        ZoneId za = new ZoneId("eu-west-2a");
        ZoneId zb = new ZoneId("eu-west-2b");
        SiteId site = new SiteId("eu-west-2a-dc1");
        InstanceTypeId type = new InstanceTypeId("tinav5.c2r4");
        Resources small = new Resources(2, 4096);
        TenantId acme = new TenantId("acme");
        GroupId group = new GroupId("pg-1");
        List<Record> log = new ArrayList<>(List.of(
                new TopologyRecord.RegionDefined(new Region(region, "London")),
                new TopologyRecord.ZoneDefined(new Zone(za, region)),
                new TopologyRecord.ZoneDefined(new Zone(zb, region)),
                new TopologyRecord.SiteDefined(new Site(site, za, "dc 1")),
                new TopologyRecord.InstanceTypeDefined(new InstanceType(type, small)),
                new TopologyRecord.ImageDefined(new Image(new ImageId("http-echo"), "echo service", "http-echo")),
                new TopologyRecord.PlacementGroupCreated(new PlacementGroup(group, acme, GroupPolicy.HOST_ANTI_AFFINITY)),
                new ComputeRecord.SchedulingPolicySet(2.0, 1.5)));
        HostId[] hosts = new HostId[4];
        for (int h = 0; h < hosts.length; h++) {
            hosts[h] = new HostId("h-" + (h % 2 == 0 ? "a" : "b") + "-0000" + h);
            log.add(new ComputeRecord.HostRegistered(hosts[h], h % 2 == 0 ? za : zb, site, new Resources(16, 65536),
                    Map.of("rack", "r" + h), 1_000L + h));
        }
        for (int i = 0; i < 12; i++) {
            InstanceId id = new InstanceId(String.format("i-%017x", i));
            log.add(new ComputeRecord.InstanceRequested(id, acme, "web-" + i, type, small, new ImageId("http-echo"),
                    i % 3 == 0 ? za : null, i % 3 == 0, i % 4, i % 5 == 0 ? group : null, 2_000L + i));
            if (i < 10) {
                log.add(new ComputeRecord.InstancePlaced(id, hosts[(i * 7) % 4], 1, ComputeRecord.Placement.INITIAL, 3_000L + i));
            } else {
                log.add(new ComputeRecord.InstancePendingReason(id, PendingReason.INSUFFICIENT_CAPACITY, "no room"));
            }
        }
        log.add(new ComputeRecord.InstanceDesiredChanged(new InstanceId(String.format("i-%017x", 1)), DesiredState.STOPPED, 4_000L));
        log.add(new ComputeRecord.HostSchedulingChanged(hosts[1], Schedulability.CORDONED, null));
        log.add(new ComputeRecord.HostStateChanged(hosts[2], HostState.DEAD, "silent for 3000 ms", 5_000L, 2_000L));
        log.add(new ComputeRecord.InstanceEvicted(new InstanceId(String.format("i-%017x", 2)), hosts[2], 1, "host dead", 6_000L));
        log.add(new ComputeRecord.AlarmRaised("ControlPlaneIsolated", "most hosts silent", 7_000L));
        // A completed failover and one still waiting; the crisis cell's records.
        log.add(new ComputeRecord.InstancePlaced(new InstanceId(String.format("i-%017x", 2)), hosts[0], 2, ComputeRecord.Placement.FAILOVER, 7_100L));
        log.add(new ComputeRecord.InstanceObserved(new InstanceId(String.format("i-%017x", 2)), 2, org.phare.core.model.InstanceState.RUNNING, 7_200L));
        log.add(new ComputeRecord.InstanceEvicted(new InstanceId(String.format("i-%017x", 6)), hosts[2], 1, "host dead", 7_300L));
        log.add(new ContinuityRecord.InfrastructureChanged("site", "eu-west-2a-dc1", true, "all hosts dead", 7_400L));
        log.add(new ContinuityRecord.TransportChanged("paris-15", true, "strike", "cell", 7_500L));
        log.add(new ContinuityRecord.MeetingOpened(1, null, "cell", 7_600L));
        log.add(new ContinuityRecord.MinutesRecorded(1, true, "keep level 2", "cell", 7_700L));
        log.add(new ContinuityRecord.ActionOpened(1, "VPN for Bob", "operator", 99_000L, 1, "cell", 7_800L));
        CloudState state = new CloudState();
        state.replayAll(log);
        return state;
    }

    @Test
    @DisplayName("hosts, instances, alarms and orders survive JSON, and the restored state equals the original")
    void roundTrip() throws Exception {
        CloudState state = sample();
        StateSnapshot snapshot = state.snapshot();
        byte[] bytes = Json.mapper().writeValueAsBytes(snapshot);
        StateSnapshot back = Json.mapper().readValue(bytes, StateSnapshot.class);

        assertThat(back).isEqualTo(snapshot);
        assertThat(back.compute().hosts()).isEqualTo(snapshot.compute().hosts());
        assertThat(back.compute().instances()).isEqualTo(snapshot.compute().instances());
        assertThat(back.compute().alarms()).isEqualTo(snapshot.compute().alarms()).isNotEmpty();
        assertThat(back.compute().failovers().done()).hasSize(1);
        assertThat(back.compute().failovers().waiting()).hasSize(1);
        assertThat(back.continuity().crisis().meetings()).hasSize(1);
        assertThat(back.continuity().crisis().actions()).hasSize(1);
        CloudState restored = CloudState.restore(back);
        assertThat(restored.differences(state)).isEmpty();
        assertThat(state.differences(restored)).isEmpty();
        assertThat(restored.snapshot()).isEqualTo(snapshot);
        // typed ids travel as plain strings
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).contains("\"h-a-00000\"").doesNotContain("\"value\"");
        // each section under its versioned name
        assertThat(Json.mapper().readTree(bytes).fieldNames()).toIterable().containsExactlyInAnyOrder("appliedRecords",
                "topology/1", "compute/1", "identity/1", "tags/1", "continuity/1", "cluster/1");
    }

    @Test
    @DisplayName("a snapshot of the first release (one flat object) reads as the same sections")
    void flatSnapshotOfFirstRelease() throws Exception {
        CloudState state = sample();
        StateSnapshot s = state.snapshot();
        LegacyStateSnapshot flat = new LegacyStateSnapshot(s.topology().regions(), s.topology().zones(), s.topology().sites(),
                s.topology().instanceTypes(), s.topology().images(), s.topology().groups(), s.compute().hosts(),
                s.compute().instances(), s.compute().hostInstances(), s.compute().alarms(), s.compute().instanceSeq(),
                s.appliedRecords(), s.compute().cpuOvercommit(), s.compute().memOvercommit(), s.identity().accounts(),
                s.identity().accessKeys(), s.identity().keyPairs(), s.identity().keyPairSeq(), s.tags().tags(),
                s.continuity().plan(), s.continuity().planHistory(), s.continuity().staff(), s.continuity().levelHistory(),
                s.continuity().closedSites(), s.continuity().recommendations(), s.continuity().crisis(),
                s.compute().failovers(), s.cluster().idSalt());
        byte[] bytes = Json.mapper().writeValueAsBytes(flat);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).contains("\"hostInstances\"");
        StateSnapshot back = Json.mapper().readValue(bytes, LegacyStateSnapshot.class).toSections();
        assertThat(back).isEqualTo(s);
        assertThat(CloudState.restore(back).differences(state)).isEmpty();
    }

    @Test
    @DisplayName("a snapshot written before hosts' and failovers' last heartbeats were kept still reads: those are unknown")
    void olderSnapshot() throws Exception {
        CloudState state = sample();
        com.fasterxml.jackson.databind.JsonNode tree = Json.mapper().valueToTree(state.snapshot());
        com.fasterxml.jackson.databind.JsonNode compute = tree.get("compute/1");
        assertThat(compute.at("/hosts/2/lastHeardMs").asLong()).isEqualTo(2_000);
        assertThat(compute.at("/failovers/done/0/hostLastHeardMs").asLong()).isEqualTo(2_000);
        compute.get("hosts").forEach(h -> ((com.fasterxml.jackson.databind.node.ObjectNode) h).remove("lastHeardMs"));
        for (String list : List.of("waiting", "done")) {
            compute.at("/failovers/" + list).forEach(f -> ((com.fasterxml.jackson.databind.node.ObjectNode) f).remove("hostLastHeardMs"));
        }
        compute.get("instances").forEach(i -> ((com.fasterxml.jackson.databind.node.ObjectNode) i).remove(
                List.of("address", "runningSinceMs")));
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove("cluster/1");
        assertThat(tree.toString()).doesNotContain("astHeardMs").doesNotContain("runningSinceMs").doesNotContain("idSalt");

        CloudState restored = CloudState.restore(Json.mapper().treeToValue(tree, StateSnapshot.class));
        assertThat(restored.host(new HostId("h-a-00002")).lastHeardMs()).isNull();
        assertThat(restored.idSalt()).isZero();
        assertThat(restored.instances().values()).allSatisfy(i -> assertThat(i.address()).isNull());
        assertThat(restored.failovers().doneSince(0)).singleElement().satisfies(f -> {
            assertThat(f.hostLastHeardMs()).isNull();
            assertThat(f.outageMs()).as("unknown").isEqualTo(-1);
            assertThat(f.replacementMs()).isEqualTo(2_200);
        });
        assertThat(restored.failovers().waiting()).hasSize(1);
        assertThat(state.failovers().doneSince(0)).singleElement().satisfies(f -> assertThat(f.outageMs()).isEqualTo(5_200));
    }
}
