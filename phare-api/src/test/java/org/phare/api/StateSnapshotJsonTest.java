package org.phare.api;

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
                new Record.RegionDefined(new Region(region, "London")),
                new Record.ZoneDefined(new Zone(za, region)),
                new Record.ZoneDefined(new Zone(zb, region)),
                new Record.SiteDefined(new Site(site, za, "dc 1")),
                new Record.InstanceTypeDefined(new InstanceType(type, small)),
                new Record.ImageDefined(new Image(new ImageId("http-echo"), "echo service", "http-echo")),
                new Record.PlacementGroupCreated(new PlacementGroup(group, acme, GroupPolicy.HOST_ANTI_AFFINITY)),
                new Record.SchedulingPolicySet(2.0, 1.5)));
        HostId[] hosts = new HostId[4];
        for (int h = 0; h < hosts.length; h++) {
            hosts[h] = new HostId("h-" + (h % 2 == 0 ? "a" : "b") + "-0000" + h);
            log.add(new Record.HostRegistered(hosts[h], h % 2 == 0 ? za : zb, site, new Resources(16, 65536),
                    Map.of("rack", "r" + h), 1_000L + h));
        }
        for (int i = 0; i < 12; i++) {
            InstanceId id = new InstanceId(String.format("i-%017x", i));
            log.add(new Record.InstanceRequested(id, acme, "web-" + i, type, small, new ImageId("http-echo"),
                    i % 3 == 0 ? za : null, i % 3 == 0, i % 4, i % 5 == 0 ? group : null, 2_000L + i));
            if (i < 10) {
                log.add(new Record.InstancePlaced(id, hosts[(i * 7) % 4], 1, Record.Placement.INITIAL, 3_000L + i));
            } else {
                log.add(new Record.InstancePendingReason(id, PendingReason.INSUFFICIENT_CAPACITY, "no room"));
            }
        }
        log.add(new Record.InstanceDesiredChanged(new InstanceId(String.format("i-%017x", 1)), DesiredState.STOPPED, 4_000L));
        log.add(new Record.HostSchedulingChanged(hosts[1], Schedulability.CORDONED, null));
        log.add(new Record.HostStateChanged(hosts[2], HostState.DEAD, "silent for 3000 ms", 5_000L, 2_000L));
        log.add(new Record.InstanceEvicted(new InstanceId(String.format("i-%017x", 2)), hosts[2], 1, "host dead", 6_000L));
        log.add(new Record.AlarmRaised("ControlPlaneIsolated", "most hosts silent", 7_000L));
        // A completed failover and one still waiting; the crisis cell's records.
        log.add(new Record.InstancePlaced(new InstanceId(String.format("i-%017x", 2)), hosts[0], 2, Record.Placement.FAILOVER, 7_100L));
        log.add(new Record.InstanceObserved(new InstanceId(String.format("i-%017x", 2)), 2, org.phare.core.model.InstanceState.RUNNING, 7_200L));
        log.add(new Record.InstanceEvicted(new InstanceId(String.format("i-%017x", 6)), hosts[2], 1, "host dead", 7_300L));
        log.add(new Record.InfrastructureChanged("site", "eu-west-2a-dc1", true, "all hosts dead", 7_400L));
        log.add(new Record.TransportChanged("paris-15", true, "strike", "cell", 7_500L));
        log.add(new Record.MeetingOpened(1, null, "cell", 7_600L));
        log.add(new Record.MinutesRecorded(1, true, "keep level 2", "cell", 7_700L));
        log.add(new Record.ActionOpened(1, "VPN for Bob", "operator", 99_000L, 1, "cell", 7_800L));
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
        assertThat(back.hosts()).isEqualTo(snapshot.hosts());
        assertThat(back.instances()).isEqualTo(snapshot.instances());
        assertThat(back.alarms()).isEqualTo(snapshot.alarms()).isNotEmpty();
        assertThat(back.failovers().done()).hasSize(1);
        assertThat(back.failovers().waiting()).hasSize(1);
        assertThat(back.crisis().meetings()).hasSize(1);
        assertThat(back.crisis().actions()).hasSize(1);
        CloudState restored = CloudState.restore(back);
        assertThat(restored.differences(state)).isEmpty();
        assertThat(state.differences(restored)).isEmpty();
        assertThat(restored.snapshot()).isEqualTo(snapshot);
        // typed ids travel as plain strings
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).contains("\"h-a-00000\"").doesNotContain("\"value\"");
    }

    @Test
    @DisplayName("a snapshot written before hosts' and failovers' last heartbeats were kept still reads: those are unknown")
    void olderSnapshot() throws Exception {
        CloudState state = sample();
        com.fasterxml.jackson.databind.JsonNode tree = Json.mapper().valueToTree(state.snapshot());
        assertThat(tree.at("/hosts/2/lastHeardMs").asLong()).isEqualTo(2_000);
        assertThat(tree.at("/failovers/done/0/hostLastHeardMs").asLong()).isEqualTo(2_000);
        tree.get("hosts").forEach(h -> ((com.fasterxml.jackson.databind.node.ObjectNode) h).remove("lastHeardMs"));
        for (String list : List.of("waiting", "done")) {
            tree.at("/failovers/" + list).forEach(f -> ((com.fasterxml.jackson.databind.node.ObjectNode) f).remove("hostLastHeardMs"));
        }
        tree.get("instances").forEach(i -> ((com.fasterxml.jackson.databind.node.ObjectNode) i).remove(
                List.of("address", "runningSinceMs")));
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove("idSalt");
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
