package org.phare.api;

import org.phare.core.record.ClusterRecord;
import org.phare.core.record.ComputeRecord;
import org.phare.core.record.ContinuityRecord;
import org.phare.core.record.IdentityRecord;
import org.phare.core.record.TagRecord;
import org.phare.core.record.TopologyRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.agent.Protocol;
import org.phare.core.model.DesiredState;
import org.phare.core.model.GroupId;
import org.phare.core.model.GroupPolicy;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.Image;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
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
import org.phare.core.record.Record;
import org.phare.core.record.RecordTypes;

@DisplayName("Json: the wire and log forms of records and agent messages")
class JsonTest {
    static final RegionId REGION = new RegionId("eu-west-2");
    static final ZoneId ZONE = new ZoneId("eu-west-2a");
    static final SiteId SITE = new SiteId("eu-west-2a-dc1");
    static final HostId HOST = new HostId("h-a-00001");
    static final InstanceId ID = new InstanceId("i-0123456789abcdef0");
    static final Resources SMALL = new Resources(2, 4096);

    /** One of every record kind; the test below fails when a new kind is added without a sample here. */
    /** A drill with a fault and an objective of every kind. */
    static final org.phare.core.drill.Drill DRILL = new org.phare.core.drill.Drill("every kind", "all of them", java.util.List.of(
            new org.phare.core.drill.Objective.OutageWithin("30 s", 30_000),
            new org.phare.core.drill.Objective.NoManualIntervention("nobody"),
            new org.phare.core.drill.Objective.FunctionsCovered("covered", 3),
            new org.phare.core.drill.Objective.LevelReached("level 3", 3, 300_000)),
            new org.phare.core.drill.Scope("eu-west-2", java.util.List.of("eu-west-2a"), java.util.List.of(), java.util.List.of("acme")),
            new org.phare.core.drill.Announcement(86_400_000), new org.phare.core.drill.StopConditions(50), java.util.List.of(
            new org.phare.core.drill.Step(0, new org.phare.core.drill.Fault.AgentFault(org.phare.core.drill.Fault.AgentAction.CRASH,
                    new org.phare.core.drill.Fault.Target(null, null, "eu-west-2a", 0), 0)),
            new org.phare.core.drill.Step(1_000, new org.phare.core.drill.Fault.LeaderFault(org.phare.core.drill.Fault.LeaderAction.FREEZE, 5_000)),
            new org.phare.core.drill.Step(2_000, new org.phare.core.drill.Fault.Absence(30, 42)),
            new org.phare.core.drill.Step(3_000, new org.phare.core.drill.Fault.Quarantine(java.util.List.of("facilities"))),
            new org.phare.core.drill.Step(4_000, new org.phare.core.drill.Fault.ClosureOrder("saint-cloud", "prefect's order")),
            new org.phare.core.drill.Step(5_000, new org.phare.core.drill.Fault.TransportLost("paris-15", "strike")),
            new org.phare.core.drill.Step(6_000, new org.phare.core.drill.Fault.LevelCheck(3, 300_000))));

    static final List<Record> ALL = List.of(
            new ClusterRecord.IdSaltSet(0x5eed_5a17_0000_0001L),
            new TopologyRecord.RegionDefined(new Region(REGION, "Paris")),
            new TopologyRecord.ZoneDefined(new Zone(ZONE, REGION)),
            new TopologyRecord.SiteDefined(new Site(SITE, ZONE, "Telehouse 2")),
            new TopologyRecord.InstanceTypeDefined(new InstanceType(new InstanceTypeId("tinav5.c2r4"), SMALL)),
            new TopologyRecord.ImageDefined(new Image(new ImageId("http-echo"), "echo service", "http-echo")),
            new TopologyRecord.PlacementGroupCreated(new PlacementGroup(new GroupId("pg-1"), new TenantId("acme"), GroupPolicy.ZONE_SPREAD)),
            new ComputeRecord.SchedulingPolicySet(2.0, 1.0),
            new ComputeRecord.HostRegistered(HOST, ZONE, SITE, new Resources(32, 131072), Map.of("rack", "r1"), 1_700_000_000_000L),
            new ComputeRecord.HostStateChanged(HOST, HostState.DEAD, "silent for 5000 ms", 5_001L, 1L),
            new ComputeRecord.HostStateChanged(HOST, HostState.READY, "heartbeat received", 5_002L),
            new ComputeRecord.HostSchedulingChanged(HOST, Schedulability.DRAINING, "maintenance"),
            new ComputeRecord.InstanceRequested(ID, new TenantId("acme"), "web-1", new InstanceTypeId("tinav5.c2r4"), SMALL,
                    new ImageId("http-echo"), null, false, 500, null, 2L, "token-1",
                    new org.phare.core.model.Launch("r-0123", "deploy", "aGk=", 0)),
            new IdentityRecord.KeyPairCreated(new org.phare.core.model.KeyPair("key-0abc", new TenantId("acme"), "deploy", "ed25519",
                    "aa:bb", "ssh-ed25519 AAAA", 1L)),
            new IdentityRecord.KeyPairDeleted("key-0abc"),
            new ContinuityRecord.PlanApplied(1, PlanYaml.parse(PlanYaml.defaultPlanText()), "operator", "first plan", 7L),
            new ContinuityRecord.RosterImported(List.of(new org.phare.core.continuity.Person("p1", "Ann", List.of("operator"), "paris-hq",
                    true, true, false, "onsite")), "hr-1", 8L),
            new ContinuityRecord.StaffStatusSet("p1", "quarantined", "hr-1", 9L),
            new ContinuityRecord.SitesClosed(List.of("saint-cloud"), "order 113", "cell", 11L),
            new ContinuityRecord.LevelRecommended(2, "absenteeism", "12.0 % absent", 12L),
            new ContinuityRecord.SitesReopened(List.of("saint-cloud"), "cell", 13L),
            new ContinuityRecord.TransportChanged("paris-15", true, "strike", "cell", 14L),
            new ContinuityRecord.InfrastructureChanged("zone", "eu-west-2a", true, "all 3 host(s) of zone eu-west-2a declared dead", 15L),
            new ContinuityRecord.MeetingOpened(1, "2026-11-29T09:00+01:00", "cell", 16L),
            new ContinuityRecord.MeetingClosed(1, "cell", 17L),
            new ContinuityRecord.MinutesRecorded(1, true, "car-pooling from Monday", "cell", 18L),
            new ContinuityRecord.ActionOpened(1, "VPN for Bob", "operator", 99L, 1, "cell", 19L),
            new ContinuityRecord.ActionClosed(1, "done", "cell", 20L),
            new ContinuityRecord.LevelChanged(0, 1, "cell", "first cases", "manual", org.phare.core.continuity.LevelChange.of(
                    PlanYaml.parse(PlanYaml.defaultPlanText()), List.of(new org.phare.core.continuity.Person("p1", "Ann",
                            List.of("operator"), "paris-hq", true, true, true, "onsite")), 0, 1, 10L), 10L),
            new TagRecord.TagsSet(List.of("i-1", "key-2"), Map.of("env", "prod")),
            new TagRecord.TagsDeleted(List.of("i-1"), List.of(new org.phare.core.model.Tag("env", null), new org.phare.core.model.Tag("a", "b"))),
            new ComputeRecord.InstancePlaced(ID, HOST, 3, ComputeRecord.Placement.FAILOVER, 3L),
            new ComputeRecord.InstanceEvicted(ID, HOST, 3, "host declared dead and fenced", 4L),
            new ComputeRecord.InstancePendingReason(ID, PendingReason.INSUFFICIENT_CAPACITY, "cannot place 2 vCPU / 4096 MiB"),
            new ComputeRecord.InstanceObserved(ID, 3, InstanceState.RUNNING, 5L),
            new ComputeRecord.InstanceObserved(ID, 3, InstanceState.RUNNING, 6L, "127.0.0.1:40123"),
            new ComputeRecord.InstanceDesiredChanged(ID, DesiredState.STOPPED, 6L),
            new ComputeRecord.InstanceRebootRequested(ID, 6L),
            new ComputeRecord.InstanceRenamed(ID, "web-2", 6L),
            new ClusterRecord.LogFormatRaised(2, "operator", 21L),
            new ComputeRecord.AlarmRaised("ControlPlaneIsolated", "most hosts silent", 7L),
            new ComputeRecord.AlarmCleared("ControlPlaneIsolated", 8L),
            new IdentityRecord.AccountCreated(new org.phare.core.model.Account(new TenantId("acme"),
                    org.phare.core.model.Account.Role.TENANT, 9L)),
            new IdentityRecord.AccessKeyCreated(new org.phare.core.model.AccessKey("PHKABCDEFGHIJKLMNOPQ", new TenantId("acme"),
                    "sealed", 10L, 0L)),
            new IdentityRecord.AccessKeyRevoked("PHKABCDEFGHIJKLMNOPQ", 11L),
            new org.phare.core.record.DrillRecord.DrillScheduled("drill-1", DRILL, 12L,
                    new org.phare.core.drill.Prediction(20, 6, 40, 5.5, 8.25, 9.0), "ops", 12L),
            new org.phare.core.record.DrillRecord.DrillStarted("drill-1", java.util.List.of("i-0123456789abcdef0"), 13L),
            new org.phare.core.record.DrillRecord.DrillStepDone("drill-1", 0, java.util.List.of("h-a-1"), java.util.List.of(), "crash", 13L),
            new org.phare.core.record.DrillRecord.DrillCheckJudged("drill-1", 1, true, "level 3 after 2 s", 14L),
            new org.phare.core.record.DrillRecord.DrillIntervention("drill-1", "ann", "operator", "POST /v1/hosts/h-a-1/drain", 15L),
            new org.phare.core.record.DrillRecord.DrillProbed("drill-1", 1, 300, java.util.List.of(
                    new org.phare.core.drill.Outage("i-0123456789abcdef0", 13L, 8_013L, true)), "ops", 16L),
            new org.phare.core.record.DrillRecord.DrillEnded("drill-1", "completed", "the timeline ran out",
                    java.util.List.of("level 3: ops short of 1"), "drill", 17L));



    @Test
    @DisplayName("the samples cover every record kind, and every kind has a type id")
    void samplesCoverEveryKind() {
        Set<Class<?>> kinds = new HashSet<>();
        collect(Record.class, kinds);
        Set<Class<?>> sampled = new HashSet<>();
        ALL.forEach(r -> sampled.add(r.getClass()));
        assertThat(sampled).isEqualTo(kinds);
        Set<Class<?>> listed = new HashSet<>();
        RecordTypes.all().forEach(t -> listed.add(t.kind()));
        assertThat(listed).as("RecordTypes lists every record of every family").isEqualTo(kinds);
    }

    /** Every record class under a sealed family, however deep. */
    private static void collect(Class<?> sealed, Set<Class<?>> into) {
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (c.isRecord()) {
                into.add(c);
            } else {
                collect(c, into);
            }
        }
    }

    @Test
    @DisplayName("type ids are stable, versioned and unique; the names of format 1 are the first release's class names")
    void typeIds() {
        Set<String> ids = new HashSet<>();
        for (RecordTypes.Type t : RecordTypes.all()) {
            assertThat(t.id()).matches("[a-z]+\\.[a-z-]+/[0-9]+");
            assertThat(ids.add(t.id())).as("unique id %s", t.id()).isTrue();
            assertThat(t.since()).isBetween(1, RecordTypes.CURRENT_FORMAT);
            if (t.since() == 1) {
                assertThat(t.legacyName()).as("a type of format 1 keeps its first name").isNotNull();
            }
        }
    }

    @Test
    @DisplayName("a batch written in format 1 names records as the first release did, and reads back the same")
    void formatOne() throws Exception {
        List<Record> v1 = ALL.stream().filter(r -> RecordTypes.since(r) == 1).toList();
        byte[] bytes = Json.encodeBatch(v1, 1);
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (Record r : v1) {
            // the kind comes first (a record may have a field named "type" too, as InstanceTypeDefined has)
            assertThat(text).contains("{\"type\":\"" + r.getClass().getSimpleName() + "\"");
        }
        assertThat(text).doesNotContain("/1\"");
        assertThat(Json.decodeBatch(bytes)).isEqualTo(v1);
    }

    @Test
    @DisplayName("a record type newer than the log's format is refused at encoding, naming the format it needs")
    void newTypeRefusedInOldFormat() {
        assertThatThrownBy(() -> Json.encodeBatch(List.of(new ComputeRecord.InstanceRenamed(ID, "x", 1L)), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("compute.instance-renamed/1").hasMessageContaining("needs log format 2");
    }

    @Test
    @DisplayName("a record type this release does not know stops decoding with its id and what to do")
    void unknownTypeNamed() {
        byte[] future = "[{\"type\":\"compute.volume-attached/1\",\"volume\":\"v-1\"}]".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Json.decodeBatch(future))
                .isInstanceOf(Json.UnknownRecordTypeException.class)
                .hasMessageContaining("'compute.volume-attached/1'")
                .hasMessageContaining("a newer release wrote it");
    }

    @Test
    @DisplayName("a batch of every record kind survives encoding and decoding unchanged")
    void batchRoundTrip() {
        byte[] bytes = Json.encodeBatch(ALL);
        assertThat(Json.decodeBatch(bytes)).isEqualTo(ALL);
    }

    @Test
    @DisplayName("ids are plain strings and each record names its kind")
    void readableForm() throws Exception {
        String json = new String(Json.encodeBatch(List.of(new ComputeRecord.InstancePlaced(ID, HOST, 3, ComputeRecord.Placement.FAILOVER, 3L))),
                StandardCharsets.UTF_8);
        JsonNode node = Json.mapper().readTree(json).get(0);
        assertThat(node.get("type").asText()).isEqualTo("compute.instance-placed/1");
        assertThat(node.get("instance").asText()).isEqualTo("i-0123456789abcdef0");
        assertThat(node.get("host").asText()).isEqualTo("h-a-00001");
        assertThat(node.get("kind").asText()).isEqualTo("FAILOVER");
    }

    @Test
    @DisplayName("an observation logged before addresses were recorded still reads, with no address")
    void observationWithoutAddress() {
        byte[] old = ("[{\"type\":\"InstanceObserved\",\"instance\":\"i-0123456789abcdef0\",\"generation\":3,"
                + "\"state\":\"RUNNING\",\"atMs\":5}]").getBytes(StandardCharsets.UTF_8);

        assertThat(Json.decodeBatch(old)).containsExactly(new ComputeRecord.InstanceObserved(ID, 3, InstanceState.RUNNING, 5L, null));
    }

    @Test
    @DisplayName("a host state change of a log written before the last heartbeat was recorded still reads, without it")
    void hostStateChangedWithoutLastHeard() {
        String older = "[{\"type\":\"HostStateChanged\",\"host\":\"h-a-00001\",\"state\":\"DEAD\","
                + "\"reason\":\"silent for 5000 ms\",\"atMs\":5001}]";
        assertThat(Json.decodeBatch(older.getBytes(StandardCharsets.UTF_8)))
                .containsExactly(new ComputeRecord.HostStateChanged(HOST, HostState.DEAD, "silent for 5000 ms", 5_001L, null));
        String now = new String(Json.encodeBatch(List.of(new ComputeRecord.HostStateChanged(HOST, HostState.DEAD, "silent for 5000 ms",
                5_001L, 1L))), StandardCharsets.UTF_8);
        assertThat(now).contains("\"lastHeardMs\":1");
    }

    @Test
    @DisplayName("agent messages survive the round trip")
    void protocolRoundTrip() throws Exception {
        var hb = new Protocol.Heartbeat(HOST, new Protocol.ReplyId(2, 41), List.of(new Protocol.Observed(ID, 3, true)));
        var reply = new Protocol.Reply(new Protocol.ReplyId(2, 42), true, 1000, 3000,
                List.of(new Protocol.Assignment(ID, 3, new ImageId("http-echo"), SMALL)));
        var reg = new Protocol.Registration(HOST, ZONE, SITE, new Resources(8, 16384), Map.of());
        var changes = new Protocol.Heartbeat(HOST, new Protocol.ReplyId(2, 42), null, 7L, 9L, new Protocol.ReplyId(2, 42),
                new Protocol.ObservedChanges(5, List.of(new Protocol.Observed(ID, 4, true)), List.of(new InstanceId("i-gone"))), true);
        var changed = new Protocol.Reply(new Protocol.ReplyId(2, 43), true, 1000, 3000, null, false, null,
                new Protocol.DesiredChanges(9, 11, List.of(new Protocol.Assignment(ID, 4, new ImageId("http-echo"), SMALL)),
                        List.of(new InstanceId("i-gone"))));
        for (Object message : List.of(hb, reply, reg, changes, changed)) {
            String text = Json.mapper().writeValueAsString(message);
            assertThat(Json.mapper().readValue(text, message.getClass())).isEqualTo(message);
        }
    }

    @Test
    @DisplayName("messages without changes carry none of their fields: a peer of an earlier release reads them")
    void noChangeFieldsForEarlierReleases() throws Exception {
        String hb = Json.mapper().writeValueAsString(new Protocol.Heartbeat(HOST, new Protocol.ReplyId(2, 41),
                List.of(new Protocol.Observed(ID, 3, true)), 7L, 9L, new Protocol.ReplyId(2, 41), null, false));
        String reply = Json.mapper().writeValueAsString(new Protocol.Reply(new Protocol.ReplyId(2, 42), true, 1000, 3000,
                List.of(), false));
        assertThat(hb).doesNotContain("takesChanges").doesNotContain("runningChanges");
        assertThat(reply).doesNotContain("desiredChanges");
        assertThat(Json.mapper().writeValueAsString(new Protocol.Heartbeat(HOST, Protocol.ReplyId.NONE, null, 7L, 9L, null, null,
                true))).contains("\"takesChanges\":true");
    }

    @Test
    @DisplayName("an unknown record kind, an unknown field or a blank id is refused with a message naming it")
    void refusals() {
        assertThatThrownBy(() -> Json.decodeBatch("[{\"type\":\"HostExploded\"}]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Json.UnknownRecordTypeException.class).hasMessageContaining("'HostExploded'");
        assertThatThrownBy(() -> Json.mapper().readValue("{\"host\":\"h1\",\"colour\":\"blue\",\"appliedReply\":null,\"running\":[]}",
                Protocol.Heartbeat.class)).hasMessageContaining("colour");
        assertThatThrownBy(() -> Json.mapper().readValue("{\"host\":\" \",\"appliedReply\":{\"incarnation\":1,\"seq\":1},\"running\":[]}",
                Protocol.Heartbeat.class)).hasMessageContaining("host id must not be blank");
    }
}
