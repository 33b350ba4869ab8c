package org.phare.core.control;

import org.phare.core.record.ComputeRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.phare.core.CloudFixture.C1R2;
import static org.phare.core.CloudFixture.C2R4;
import static org.phare.core.CloudFixture.IMAGE;
import static org.phare.core.CloudFixture.TENANT;
import static org.phare.core.CloudFixture.ZONE_A;
import static org.phare.core.CloudFixture.ZONE_B;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phare.core.CloudFixture;
import org.phare.core.ControlledCloud;
import org.phare.core.FakeAgent;
import org.phare.core.agent.Protocol;
import org.phare.core.model.DesiredState;
import org.phare.core.model.GroupId;
import org.phare.core.model.GroupPolicy;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.ImageId;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.model.SiteId;
import org.phare.core.model.TenantId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

@DisplayName("Controller: commands and the agent protocol")
class ControllerTest {

    private static Duration s(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private final ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 3);

    private Result submit(Command c) {
        return cloud.submit(c);
    }

    private static Command.RunInstances run(InstanceTypeId type, ZoneId zone, int count) {
        return new Command.RunInstances(TENANT, type, IMAGE, zone, count, 0, null, null);
    }

    /** An instance of c1r2, running, and the agent of its host. */
    private InstanceId runningInstance() {
        InstanceId id = cloud.runOne(C1R2, null, 0);
        cloud.runFor(s(2));
        assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.RUNNING);
        return id;
    }

    @Nested
    @DisplayName("client tokens make a run request idempotent")
    class ClientTokens {

        private Command.RunInstances withToken(String token, InstanceTypeId type, int count) {
            return new Command.RunInstances(TENANT, type, IMAGE, null, count, 0, null, null, token);
        }

        @Test
        @DisplayName("a retry answers with the same instances and creates nothing")
        void retryCreatesNothing() {
            Result first = submit(withToken("tok-1", C1R2, 2));
            int records = cloud.log().size();
            Result again = submit(withToken("tok-1", C1R2, 2));
            assertThat(first.isOk()).isTrue();
            assertThat(((Result.Ok) again).value()).isEqualTo(((Result.Ok) first).value());
            assertThat(cloud.log()).hasSize(records);
            assertThat(cloud.state().instances()).hasSize(2);
        }

        @Test
        @DisplayName("the same token with other parameters is refused with IdempotentParameterMismatch")
        void otherParametersAreRefused() {
            submit(withToken("tok-2", C1R2, 1));
            Result other = submit(withToken("tok-2", C2R4, 1));
            assertThat(other).isInstanceOfSatisfying(Result.Rejected.class,
                    r -> assertThat(r.code()).isEqualTo("IdempotentParameterMismatch"));
            assertThat(cloud.state().instances()).hasSize(1);
        }

        @Test
        @DisplayName("tokens are per tenant, survive a snapshot and are validated")
        void perTenantAndRestored() {
            submit(withToken("tok-3", C1R2, 1));
            Result otherTenant = submit(new Command.RunInstances(new TenantId("other"), C1R2, IMAGE, null, 1, 0, null,
                    null, "tok-3"));
            assertThat(otherTenant.isOk()).isTrue();
            assertThat(cloud.state().instances()).hasSize(2);
            CloudState restored = CloudState.restore(cloud.state().snapshot());
            assertThat(restored.instancesWithToken(TENANT, "tok-3"))
                    .isEqualTo(cloud.state().instancesWithToken(TENANT, "tok-3")).hasSize(1);
            assertThat(submit(withToken("bad token", C1R2, 1))).isInstanceOfSatisfying(Result.Rejected.class,
                    r -> assertThat(r.code()).isEqualTo("InvalidParameterValue"));
            assertThat(submit(withToken("x".repeat(65), C1R2, 1))).isInstanceOf(Result.Rejected.class);
        }
    }

    @Nested
    @DisplayName("registration and heartbeats")
    class Protocols {

        @Test
        @DisplayName("registered hosts are ready in their zone, and each registration is one HostRegistered record")
        void registration() {
            assertThat(cloud.state().hosts()).hasSize(9);
            assertThat(cloud.state().hostsIn(ZONE_B)).hasSize(3);
            assertThat(cloud.state().hosts().values()).allMatch(h -> h.state() == HostState.READY);
            assertThat(cloud.journal().recordsOf(ComputeRecord.HostRegistered.class)).hasSize(9);
        }

        @Test
        @DisplayName("a registration reply gives the heartbeat interval and a lease of fenceAfter")
        void registrationReply() {
            FakeAgent agent = cloud.addHost(ZONE_A, CloudFixture.HOST_CAPACITY);

            Protocol.Reply reply = agent.lastReply();
            assertThat(reply.known()).isTrue();
            assertThat(reply.heartbeatIntervalMillis()).isEqualTo(1000);
            assertThat(reply.leaseMillis()).isEqualTo(3000);
            assertThat(reply.desired()).isEmpty();
        }

        @Test
        @DisplayName("an unchanged ready host registering again appends nothing")
        void reRegistrationIsIdempotent() {
            int before = cloud.journal().records().size();

            cloud.controller().register(new Protocol.Registration(CloudFixture.hostId(ZONE_A, 1), ZONE_A,
                    CloudFixture.site(ZONE_A), CloudFixture.HOST_CAPACITY, Map.of()));

            assertThat(cloud.journal().records()).hasSize(before);
        }

        @Test
        @DisplayName("registration refuses an unknown zone, a site of another zone, and a host changing zone")
        void registrationRefusals() {
            Controller c = cloud.controller();
            Resources cap = CloudFixture.HOST_CAPACITY;

            assertThatThrownBy(() -> c.register(new Protocol.Registration(HostId.of("x"), ZoneId.of("eu-west-2z"), CloudFixture.site(ZONE_A), cap, Map.of())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zone eu-west-2z does not exist");
            assertThatThrownBy(() -> c.register(new Protocol.Registration(HostId.of("x"), ZONE_A, CloudFixture.site(ZONE_B), cap, Map.of())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist in zone eu-west-2a");
            assertThatThrownBy(() -> c.register(new Protocol.Registration(CloudFixture.hostId(ZONE_A, 1), ZONE_B, CloudFixture.site(ZONE_B), cap, Map.of())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a host cannot change zone");
        }

        @Test
        @DisplayName("a heartbeat from an unknown host is answered 'unknown' with no lease: the agent must register")
        void unknownHost() {
            Protocol.Reply reply = cloud.controller().heartbeat(new Protocol.Heartbeat(HostId.of("stranger"), Protocol.ReplyId.NONE, List.of()));

            assertThat(reply.known()).isFalse();
            assertThat(reply.leaseMillis()).isZero();
            assertThat(reply.desired()).isEmpty();
        }

        @Test
        @DisplayName("reply ids grow with every reply, within the controller's incarnation")
        void replyIdsGrow() {
            FakeAgent agent = cloud.agents().get(0);
            long now = cloud.clock().monotonicNanos();
            Protocol.Reply first = agent.heartbeat(cloud.controller(), now, 1_000_000_000L);
            Protocol.Reply second = agent.heartbeat(cloud.controller(), now, 1_000_000_000L);

            assertThat(first.replyId().incarnation()).isEqualTo(1);
            assertThat(second.replyId()).isGreaterThan(first.replyId());
        }

        @Test
        @DisplayName("agents that take changes get their desired lists as changes and send their copies as changes;"
                + " every instance runs, stops and runs again as with whole lists")
        void changesBothWays() {
            List<InstanceId> ids = new java.util.ArrayList<>();
            for (int round = 0; round < 4; round++) {
                ids.addAll(cloud.run(C1R2, null, 9, 0));
                cloud.runFor(s(2));
            }
            assertThat(ids).allMatch(id -> cloud.instance(id).state() == InstanceState.RUNNING);
            assertThat(cloud.agents()).as("changes went both ways").anyMatch(a -> a.repliesWithChanges() > 0)
                    .anyMatch(a -> a.heartbeatsWithChanges() > 0);
            for (FakeAgent a : cloud.agents()) {
                Protocol.Reply r = a.heartbeat(cloud.controller(), cloud.clock().monotonicNanos(), 1_000_000_000L);
                assertThat(r.desired()).extracting(Protocol.Assignment::instance).as("what the agent holds, rebuilt from changes")
                        .containsExactlyInAnyOrderElementsOf(cloud.state().instancesOn(a.host()));
            }
            assertThat(submit(new Command.StopInstances(List.of(ids.get(0), ids.get(1)))).isOk()).isTrue();
            cloud.runFor(s(3));
            assertThat(cloud.instance(ids.get(0)).state()).isEqualTo(InstanceState.STOPPED);
            assertThat(cloud.instance(ids.get(2)).state()).isEqualTo(InstanceState.RUNNING);
            cloud.assertOneCopyEach();
        }

        @Test
        @DisplayName("copies sent as changes to a list the controller does not hold are not judged: it asks for them in full")
        void changesToAnUnknownListAreRefused() {
            HostId h = CloudFixture.hostId(ZONE_A, 1);
            var ghost = new Protocol.Observed(InstanceId.of("i-ghost"), 1, true);
            Protocol.Heartbeat hb = new Protocol.Heartbeat(h, Protocol.ReplyId.NONE, null, Protocol.digestOfObserved(List.of(ghost)),
                    0L, null, new Protocol.ObservedChanges(12345, List.of(ghost), List.of()), true);
            Protocol.Reply reply = cloud.controller().heartbeat(hb);
            assertThat(reply.resend()).isTrue();
            assertThat(reply.desiredChanges()).as("a list in full to an agent that holds none").isNull();
            assertThat(reply.desired()).isNotNull();
        }

        @Test
        @DisplayName("a heartbeat from a copy the host should not run (unknown instance) leaves it out of the reply")
        void unknownCopyIsLeftOut() {
            HostId h = CloudFixture.hostId(ZONE_A, 1);
            Protocol.Reply reply = cloud.controller().heartbeat(new Protocol.Heartbeat(h, Protocol.ReplyId.NONE,
                    List.of(new Protocol.Observed(InstanceId.of("i-ghost"), 7, true))));

            assertThat(reply.desired()).isEmpty();
            assertThat(cloud.state().instances()).isEmpty();
        }
    }

    @Nested
    @DisplayName("RunInstances")
    class Run {

        @Test
        @DisplayName("places the instance at generation 1; the host's next heartbeat reply lists the assignment")
        void placesAndAssigns() {
            InstanceId id = cloud.runOne(C2R4, null, 0);
            Instance i = cloud.instance(id);
            FakeAgent agent = cloud.agent(i.host());

            assertThat(i.generation()).isEqualTo(1);
            assertThat(i.state()).isEqualTo(InstanceState.PENDING);
            assertThat(i.desired()).isEqualTo(DesiredState.RUNNING);
            assertThat(cloud.state().used(i.host())).isEqualTo(new Resources(2, 4096));

            cloud.runFor(s(1));

            assertThat(agent.lastReply().desired()).containsExactly(new Protocol.Assignment(id, 1, IMAGE, new Resources(2, 4096)));
        }

        @Test
        @DisplayName("an agent reporting the copy ready makes the instance RUNNING")
        void readyMeansRunning() {
            InstanceId id = cloud.runOne(C1R2, null, 0);
            HostId host = cloud.instance(id).host();

            cloud.controller().heartbeat(new Protocol.Heartbeat(host, Protocol.ReplyId.NONE,
                    List.of(new Protocol.Observed(id, 1, false))));
            assertThat(cloud.instance(id).state()).as("starting, not yet ready").isEqualTo(InstanceState.PENDING);

            cloud.controller().heartbeat(new Protocol.Heartbeat(host, Protocol.ReplyId.NONE,
                    List.of(new Protocol.Observed(id, 1, true))));
            assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.RUNNING);
        }

        @Test
        @DisplayName("a report of the wrong generation does not make the instance RUNNING")
        void wrongGenerationIsIgnored() {
            InstanceId id = cloud.runOne(C1R2, null, 0);
            HostId host = cloud.instance(id).host();

            Protocol.Reply reply = cloud.controller().heartbeat(new Protocol.Heartbeat(host, Protocol.ReplyId.NONE,
                    List.of(new Protocol.Observed(id, 5, true))));

            assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.PENDING);
            assertThat(reply.desired()).extracting(Protocol.Assignment::generation).containsExactly(1L);
        }

        @Test
        @DisplayName("three instances without a zone land in the three zones, with reproducible ids")
        void spreadsAcrossZones() {
            List<InstanceId> ids = cloud.run(C1R2, null, 3, 0);

            Set<ZoneId> zones = new HashSet<>();
            ids.forEach(id -> zones.add(cloud.instance(id).zone()));
            assertThat(zones).hasSize(3);
            assertThat(ids).containsExactly(ComputeWrites.instanceId(0, 1), ComputeWrites.instanceId(0, 2), ComputeWrites.instanceId(0, 3));
            assertThat(ids).allSatisfy(id -> assertThat(id.value()).matches("i-0[0-9a-f]{16}"));
        }

        @Test
        @DisplayName("names: one instance keeps the name, several get -1, -2, ...")
        void names() {
            Result one = submit(new Command.RunInstances(TENANT, C1R2, IMAGE, null, 1, 0, null, "web"));
            Result two = submit(new Command.RunInstances(TENANT, C1R2, IMAGE, null, 2, 0, null, "db"));

            assertThat(cloud.instance(((List<?>) ((Result.Ok) one).value()).stream().map(InstanceId.class::cast).findFirst().orElseThrow()).name())
                    .isEqualTo("web");
            assertThat(((List<?>) ((Result.Ok) two).value()).stream().map(InstanceId.class::cast).map(id -> cloud.instance(id).name()))
                    .containsExactly("db-1", "db-2");
        }

        @Test
        @DisplayName("all or nothing: when fewer than the minimum fit, none is started and nothing is written")
        void allOrNothing() {
            GroupId group = GroupId.of("pg-db");
            assertThat(submit(new Command.CreatePlacementGroup(new PlacementGroup(group, TENANT, GroupPolicy.HOST_ANTI_AFFINITY))).isOk()).isTrue();
            long recordsBefore = cloud.state().appliedRecords();

            Result r = submit(new Command.RunInstances(TENANT, C1R2, IMAGE, ZONE_A, 4, 0, group, null));

            assertThat(r).isInstanceOfSatisfying(Result.Rejected.class, rejected -> {
                assertThat(rejected.code()).isEqualTo("AntiAffinity");
                assertThat(rejected.message()).endsWith("(3 of the 4 instances asked for at least could be placed; none was started)");
            });
            assertThat(cloud.state().instances()).isEmpty();
            assertThat(cloud.state().appliedRecords()).isEqualTo(recordsBefore);
            assertThat(cloud.state().differences(cloud.replayed())).isEmpty();

            // After the rolled-back trial, the state goes on exactly as the log says: more refusals, then runs.
            assertThat(submit(new Command.RunInstances(TENANT, C1R2, IMAGE, null, 10, 0, group, null))).isInstanceOf(Result.Rejected.class);
            assertThat(submit(new Command.RunInstances(TENANT, C1R2, IMAGE, ZONE_A, 3, 0, group, null, "t1", 3, null, null,
                    java.util.Map.of("k", "v"))).isOk()).isTrue();
            assertThat(submit(new Command.RunInstances(TENANT, CloudFixture.C2R4, IMAGE, null, 5, 0, null, null)).isOk()).isTrue();
            assertThat(cloud.state().differences(cloud.replayed())).isEmpty();
            assertThat(CloudState.restore(cloud.state().snapshot()).differences(cloud.state())).isEmpty();
        }

        @Test
        @DisplayName("between the minimum and the count: as many as fit, in one reservation")
        void asManyAsFit() {
            GroupId group = GroupId.of("pg-db");
            assertThat(submit(new Command.CreatePlacementGroup(new PlacementGroup(group, TENANT, GroupPolicy.HOST_ANTI_AFFINITY))).isOk()).isTrue();

            Result r = submit(new Command.RunInstances(TENANT, C1R2, IMAGE, ZONE_A, 5, 0, group, null, "tok", 2, null, null,
                    java.util.Map.of("env", "prod")));

            List<?> ids = (List<?>) ((Result.Ok) r).value();
            assertThat(ids).hasSize(3);
            var launches = ids.stream().map(id -> cloud.instance((InstanceId) id).launch()).toList();
            assertThat(launches).extracting(org.phare.core.model.Launch::index).containsExactly(0, 1, 2);
            assertThat(launches).extracting(org.phare.core.model.Launch::reservation).containsOnly(launches.get(0).reservation());
            assertThat(launches.get(0).reservation()).matches("r-[0-9a-f]{17}");
            ids.forEach(id -> assertThat(cloud.state().tags(id.toString())).containsExactly(java.util.Map.entry("env", "prod")));
            assertThat(cloud.state().differences(cloud.replayed())).isEmpty();
            // The same token and parameters: the same reservation, nothing new.
            Result again = submit(new Command.RunInstances(TENANT, C1R2, IMAGE, ZONE_A, 5, 0, group, null, "tok", 2, null, null,
                    java.util.Map.of("env", "prod")));
            assertThat(((Result.Ok) again).value()).isEqualTo(ids);
            assertThat(cloud.state().instances()).hasSize(3);
        }

        static Stream<Arguments> invalid() {
            InstanceTypeId type = C1R2;
            return Stream.of(
                    Arguments.of("an unknown instance type", new Command.RunInstances(TENANT, InstanceTypeId.of("m5.huge"), IMAGE, null, 1, 0, null, null), "NotFound", "instance type m5.huge does not exist"),
                    Arguments.of("an unknown image", new Command.RunInstances(TENANT, type, ImageId.of("ami-nope"), null, 1, 0, null, null), "NotFound", "image ami-nope does not exist"),
                    Arguments.of("an unknown zone", new Command.RunInstances(TENANT, type, IMAGE, ZoneId.of("eu-west-2z"), 1, 0, null, null), "NotFound", "zone eu-west-2z does not exist in region eu-west-2"),
                    Arguments.of("a negative count", new Command.RunInstances(TENANT, type, IMAGE, null, -1, 0, null, null), "InvalidParameterValue", "count must be between 1 and 1000, got -1"),
                    Arguments.of("a count of zero", new Command.RunInstances(TENANT, type, IMAGE, null, 0, 0, null, null), "InvalidParameterValue", "got 0"),
                    Arguments.of("a count above 1000", new Command.RunInstances(TENANT, type, IMAGE, null, 1001, 0, null, null), "InvalidParameterValue", "got 1001"),
                    Arguments.of("a negative priority", new Command.RunInstances(TENANT, type, IMAGE, null, 1, -1, null, null), "InvalidParameterValue", "priority must be between 0 and 1000"),
                    Arguments.of("a priority above 1000", new Command.RunInstances(TENANT, type, IMAGE, null, 1, 1001, null, null), "InvalidParameterValue", "priority"),
                    Arguments.of("a blank name", new Command.RunInstances(TENANT, type, IMAGE, null, 1, 0, null, "  "), "InvalidParameterValue", "name must be 1 to 128 characters"),
                    Arguments.of("a name of 129 characters", new Command.RunInstances(TENANT, type, IMAGE, null, 1, 0, null, "x".repeat(129)), "InvalidParameterValue", "name"),
                    Arguments.of("an unknown placement group", new Command.RunInstances(TENANT, type, IMAGE, null, 1, 0, GroupId.of("pg-nope"), null), "NotFound", "placement group pg-nope does not exist"));
        }

        @ParameterizedTest(name = "{0} is rejected with {2}")
        @MethodSource("invalid")
        @DisplayName("invalid requests are rejected with a stable code and a precise message, and append nothing")
        void rejected(String description, Command.RunInstances command, String code, String message) {
            int before = cloud.journal().records().size();

            Result r = submit(command);

            assertThat(r).isInstanceOf(Result.Rejected.class);
            assertThat(((Result.Rejected) r).code()).isEqualTo(code);
            assertThat(((Result.Rejected) r).message()).contains(message);
            assertThat(cloud.journal().records()).hasSize(before);
        }

        @Test
        @DisplayName("another tenant's placement group is NotFound, as if it did not exist")
        void otherTenantsGroup() {
            GroupId group = GroupId.of("pg-theirs");
            submit(new Command.CreatePlacementGroup(new PlacementGroup(group, TenantId.of("globex"), GroupPolicy.ZONE_SPREAD)));

            Result r = submit(new Command.RunInstances(TENANT, C1R2, IMAGE, null, 1, 0, group, null));

            assertThat(((Result.Rejected) r).code()).isEqualTo("NotFound");
        }

        @Test
        @DisplayName("a zone of another region is NotFound")
        void zoneOfAnotherRegion() {
            submit(new Command.DefineRegion(new org.phare.core.model.Region(RegionId.of("eu-north-1"), "Stockholm")));
            submit(new Command.DefineZone(new Zone(ZoneId.of("eu-north-1a"), RegionId.of("eu-north-1"))));

            Result r = submit(run(C1R2, ZoneId.of("eu-north-1a"), 1));

            assertThat(((Result.Rejected) r).code()).isEqualTo("NotFound");
        }
    }

    @Nested
    @DisplayName("stop, start, terminate")
    class Lifecycle {

        @Test
        @DisplayName("reboot: a record counts it, the next reply carries the count, nothing moves; a stopped instance cannot be rebooted")
        void reboot() {
            InstanceId id = runningInstance();
            HostId host = cloud.instance(id).host();
            assertThat(submit(new Command.RebootInstances(List.of(id))).isOk()).isTrue();
            assertThat(cloud.instance(id).reboots()).isEqualTo(1);
            assertThat(cloud.instance(id).host()).isEqualTo(host);
            assertThat(cloud.instance(id).generation()).isEqualTo(1);
            cloud.runFor(s(1.5));
            assertThat(cloud.agent(host).lastReply().desired()).filteredOn(a -> a.instance().equals(id))
                    .extracting(Protocol.Assignment::reboots).containsExactly(1);
            CloudState replayed = new CloudState();
            replayed.replayAll(cloud.log());
            assertThat(replayed.differences(cloud.state())).isEmpty();

            assertThat(submit(new Command.StopInstances(List.of(id))).isOk()).isTrue();
            cloud.runFor(s(3));
            Result refused = submit(new Command.RebootInstances(List.of(id)));
            assertThat(refused).isInstanceOfSatisfying(Result.Rejected.class, r -> {
                assertThat(r.code()).isEqualTo("Conflict");
                assertThat(r.message()).contains("only an instance on a host can be rebooted");
            });
        }

        @Test
        @DisplayName("stop: the reply omits the instance; only a heartbeat that applied that reply and no longer lists it makes it STOPPED and frees the host")
        void stop() {
            InstanceId id = runningInstance();
            HostId host = cloud.instance(id).host();
            FakeAgent agent = cloud.agent(host);
            agent.holdReplies();
            Protocol.ReplyId appliedBefore = agent.applied();

            assertThat(submit(new Command.StopInstances(List.of(id))).isOk()).isTrue();
            assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.STOPPING);

            cloud.runFor(s(1));
            assertThat(agent.lastReply().desired()).as("the agent is told").extracting(Protocol.Assignment::instance).doesNotContain(id);
            assertThat(agent.running()).as("but has not applied it yet").containsKey(id);
            cloud.runFor(s(2));
            assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.STOPPING);

            // a report that no longer lists it, but sent before the agent applied the reply that told it: not proof
            cloud.controller().heartbeat(new Protocol.Heartbeat(host, appliedBefore, List.of()));
            assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.STOPPING);
            assertThat(cloud.state().used(host)).isEqualTo(new Resources(1, 2048));

            agent.releaseReplies();
            assertThat(agent.running()).doesNotContainKey(id);
            cloud.runFor(s(1));

            Instance i = cloud.instance(id);
            assertThat(i.state()).isEqualTo(InstanceState.STOPPED);
            assertThat(i.desired()).isEqualTo(DesiredState.STOPPED);
            assertThat(i.host()).isNull();
            assertThat(cloud.state().used(host)).isEqualTo(Resources.ZERO);
            assertThat(cloud.state().recoveryQueue()).isEmpty();
        }

        @Test
        @DisplayName("start: a stopped instance is placed again at the next generation and runs")
        void startAfterStop() {
            InstanceId id = runningInstance();
            submit(new Command.StopInstances(List.of(id)));
            cloud.runFor(s(2));
            assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.STOPPED);

            assertThat(submit(new Command.StartInstances(List.of(id))).isOk()).isTrue();

            Instance i = cloud.instance(id);
            assertThat(i.host()).isNotNull();
            assertThat(i.generation()).isEqualTo(2);
            assertThat(cloud.journal().recordsOf(ComputeRecord.InstancePlaced.class)).last()
                    .extracting(ComputeRecord.InstancePlaced::kind).isEqualTo(ComputeRecord.Placement.RESTART);
            cloud.runFor(s(2));
            assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.RUNNING);
        }

        @Test
        @DisplayName("starting an instance still stopping on its host keeps it there at the same generation")
        void startWhileStopping() {
            InstanceId id = runningInstance();
            HostId host = cloud.instance(id).host();
            cloud.agent(host).holdReplies();
            submit(new Command.StopInstances(List.of(id)));
            cloud.runFor(s(1));

            submit(new Command.StartInstances(List.of(id)));
            cloud.agent(host).releaseReplies();
            cloud.runFor(s(3));

            Instance i = cloud.instance(id);
            assertThat(i.host()).isEqualTo(host);
            assertThat(i.generation()).isEqualTo(1);
            assertThat(i.state()).isEqualTo(InstanceState.RUNNING);
            assertThat(cloud.agent(host).running()).containsEntry(id, 1L);
        }

        @Test
        @DisplayName("terminate: SHUTTING_DOWN until the agent confirms, then TERMINATED for good")
        void terminate() {
            InstanceId id = runningInstance();

            submit(new Command.TerminateInstances(List.of(id)));
            assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.SHUTTING_DOWN);
            cloud.runFor(s(2));
            assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.TERMINATED);
            assertThat(cloud.instance(id).host()).isNull();

            Result start = submit(new Command.StartInstances(List.of(id)));
            assertThat(((Result.Rejected) start).code()).isEqualTo("Conflict");
            submit(new Command.StopInstances(List.of(id)));
            assertThat(cloud.instance(id).desired()).as("termination is final").isEqualTo(DesiredState.TERMINATED);
        }

        @Test
        @DisplayName("stop and terminate of unknown or no instances are rejected")
        void unknownInstances() {
            assertThat(((Result.Rejected) submit(new Command.StopInstances(List.of()))).code()).isEqualTo("InvalidParameterValue");
            assertThat(((Result.Rejected) submit(new Command.TerminateInstances(List.of(InstanceId.of("i-nope"))))).code()).isEqualTo("NotFound");
            assertThat(((Result.Rejected) submit(new Command.StartInstances(List.of(InstanceId.of("i-nope"))))).code()).isEqualTo("NotFound");
        }

        @Test
        @DisplayName("stopping an instance whose host then dies leaves it STOPPED, not re-placed")
        void stoppedOnADeadHost() {
            InstanceId id = runningInstance();
            HostId host = cloud.instance(id).host();
            cloud.runUntil(s(20));
            cloud.agent(host).silence();
            submit(new Command.StopInstances(List.of(id)));

            cloud.runUntil(s(26));

            Instance i = cloud.instance(id);
            assertThat(cloud.state().host(host).state()).isEqualTo(HostState.DEAD);
            assertThat(i.state()).isEqualTo(InstanceState.STOPPED);
            assertThat(i.host()).isNull();
            assertThat(i.generation()).isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("cordon and drain")
    class Drain {

        @Test
        @DisplayName("a cordoned host keeps what runs but receives nothing new")
        void cordon() {
            InstanceId id = cloud.runOne(C1R2, ZONE_A, 0);
            HostId host = cloud.instance(id).host();
            submit(new Command.SetHostScheduling(host, Schedulability.CORDONED, "maintenance"));

            List<InstanceId> more = cloud.run(C1R2, ZONE_A, 2, 0);
            cloud.runFor(s(2));

            assertThat(more).allSatisfy(m -> assertThat(cloud.instance(m).host()).isNotEqualTo(host));
            assertThat(cloud.instance(id).host()).isEqualTo(host);
            assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.RUNNING);
        }

        @Test
        @DisplayName("drain moves an instance only after the agent confirms its copy stopped, then at generation 2 elsewhere")
        void drainWaitsForTheAgent() {
            InstanceId id = runningInstance();
            HostId host = cloud.instance(id).host();
            FakeAgent agent = cloud.agent(host);
            agent.holdReplies();

            assertThat(submit(new Command.SetHostScheduling(host, Schedulability.DRAINING, null)).isOk()).isTrue();
            cloud.runFor(s(3));

            assertThat(agent.lastReply().desired()).as("the agent is told to stop it").isEmpty();
            assertThat(cloud.instance(id).host()).as("not moved before the agent confirms").isEqualTo(host);
            assertThat(cloud.instance(id).generation()).isEqualTo(1);
            assertThat(cloud.journal().recordsOf(ComputeRecord.InstanceEvicted.class)).isEmpty();

            agent.releaseReplies();
            cloud.runFor(s(1));

            Instance i = cloud.instance(id);
            assertThat(i.host()).isNotNull().isNotEqualTo(host);
            assertThat(i.generation()).isEqualTo(2);
            assertThat(cloud.journal().recordsOf(ComputeRecord.InstanceEvicted.class)).singleElement()
                    .satisfies(e -> assertThat(e.reason()).contains("drained"));
            assertThat(cloud.state().host(host).scheduling()).isEqualTo(Schedulability.DRAINING);
            assertThat(cloud.state().used(host)).isEqualTo(Resources.ZERO);
        }

        @Test
        @DisplayName("a drain cancelled after the agent stopped the copy keeps the instance on its host, and the agent restarts it")
        void drainCancelled() {
            InstanceId id = runningInstance();
            HostId host = cloud.instance(id).host();
            FakeAgent agent = cloud.agent(host);
            agent.holdReplies();
            submit(new Command.SetHostScheduling(host, Schedulability.DRAINING, null));
            cloud.runFor(s(1));
            agent.releaseReplies();
            assertThat(agent.running()).doesNotContainKey(id);

            submit(new Command.SetHostScheduling(host, Schedulability.SCHEDULABLE, null));
            cloud.runFor(s(3));

            assertThat(cloud.instance(id).host()).isEqualTo(host);
            assertThat(cloud.instance(id).generation()).isEqualTo(1);
            assertThat(agent.running()).containsEntry(id, 1L);
            assertThat(cloud.journal().recordsOf(ComputeRecord.InstanceEvicted.class)).isEmpty();
        }

        @Test
        @DisplayName("scheduling an unknown host is NotFound; setting the current scheduling again appends nothing")
        void schedulingEdges() {
            int before = cloud.journal().records().size();

            assertThat(((Result.Rejected) submit(new Command.SetHostScheduling(HostId.of("nope"), Schedulability.CORDONED, null))).code())
                    .isEqualTo("NotFound");
            assertThat(submit(new Command.SetHostScheduling(CloudFixture.hostId(ZONE_A, 1), Schedulability.SCHEDULABLE, null)).isOk()).isTrue();
            assertThat(cloud.journal().records()).hasSize(before);
        }
    }

    @Nested
    @DisplayName("topology commands")
    class Topology {

        @Test
        @DisplayName("a zone of an unknown region and a site of an unknown zone are NotFound")
        void unknownParents() {
            assertThat(((Result.Rejected) submit(new Command.DefineZone(new Zone(ZoneId.of("x-1a"), RegionId.of("x-1"))))).code()).isEqualTo("NotFound");
            assertThat(((Result.Rejected) submit(new Command.DefineSite(new org.phare.core.model.Site(SiteId.of("s"), ZoneId.of("x-1a"), "")))).code())
                    .isEqualTo("NotFound");
        }

        @Test
        @DisplayName("an instance type without vCPU or memory is InvalidParameterValue")
        void emptyType() {
            Result r = submit(new Command.DefineInstanceType(new InstanceType(InstanceTypeId.of("t0"), new Resources(0, 512))));

            assertThat(((Result.Rejected) r).code()).isEqualTo("InvalidParameterValue");
        }

        @Test
        @DisplayName("re-creating a placement group with another policy is a Conflict; the same group again is fine")
        void groupConflict() {
            PlacementGroup g = new PlacementGroup(GroupId.of("pg"), TENANT, GroupPolicy.ZONE_SPREAD);
            assertThat(submit(new Command.CreatePlacementGroup(g)).isOk()).isTrue();
            assertThat(submit(new Command.CreatePlacementGroup(g)).isOk()).isTrue();

            Result r = submit(new Command.CreatePlacementGroup(new PlacementGroup(GroupId.of("pg"), TENANT, GroupPolicy.HOST_ANTI_AFFINITY)));

            assertThat(((Result.Rejected) r).code()).isEqualTo("Conflict");
        }
    }

    @Test
    @DisplayName("a controller configured with overcommit records the ratios before deciding anything")
    void overcommitIsRecorded() {
        ControlledCloud overcommitted = ControlledCloud.start(ControlledCloud.defaultConfig()
                .withPlacement(org.phare.core.placement.PlacementConfig.defaults().withOvercommit(2.0, 1.0)), 1);

        assertThat(overcommitted.journal().records().get(0)).isEqualTo(new ComputeRecord.SchedulingPolicySet(2.0, 1.0));
        assertThat(overcommitted.state().cpuOvercommit()).isEqualTo(2.0);
    }
}
