package org.phare.core.placement;

import org.phare.core.record.ComputeRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.core.CloudFixture.C1R2;
import static org.phare.core.CloudFixture.TENANT;
import static org.phare.core.CloudFixture.ZONE_A;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phare.core.CloudFixture;
import org.phare.core.model.DesiredState;
import org.phare.core.model.GroupId;
import org.phare.core.model.GroupPolicy;
import org.phare.core.model.Host;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.model.SiteId;
import org.phare.core.placement.Feasibility.Reject;
import org.phare.core.record.Record;

@DisplayName("Feasibility filters")
class FeasibilityTest {

    private static final Resources HOST = new Resources(8, 16384);

    private static Host host(HostState state, Schedulability scheduling) {
        return new Host(HostId.of("h1"), ZONE_A, SiteId.of("s1"), HOST, Map.of(), state, scheduling, 0, null);
    }

    private static PlacementRequest request(Resources demand, GroupId group) {
        return new PlacementRequest(InstanceId.of("i-1"), TENANT, demand, group, null, false, false, 1);
    }

    @Nested
    @DisplayName("schedulable")
    class Schedulable {
        static Stream<Arguments> cases() {
            return Stream.of(
                    Arguments.of("a ready, schedulable host is accepted", HostState.READY, Schedulability.SCHEDULABLE, null),
                    Arguments.of("a suspect host is rejected as not ready", HostState.SUSPECT, Schedulability.SCHEDULABLE, Reject.NOT_READY),
                    Arguments.of("a dead host is rejected as not ready", HostState.DEAD, Schedulability.SCHEDULABLE, Reject.NOT_READY),
                    Arguments.of("a cordoned host is rejected", HostState.READY, Schedulability.CORDONED, Reject.CORDONED),
                    Arguments.of("a draining host is rejected", HostState.READY, Schedulability.DRAINING, Reject.CORDONED),
                    Arguments.of("a dead and cordoned host is rejected first as not ready", HostState.DEAD, Schedulability.CORDONED, Reject.NOT_READY));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("cases")
        @DisplayName("only ready hosts that are neither cordoned nor draining take new work")
        void schedulable(String description, HostState state, Schedulability scheduling, Reject expected) {
            Reject actual = Feasibility.schedulable().check(host(state, scheduling), Resources.ZERO, request(new Resources(1, 1), null));

            assertThat(actual).isEqualTo(expected);
        }
    }

    @Nested
    @DisplayName("capacity, on a host of 8 vCPU / 16384 MiB")
    class Capacity {
        static Stream<Arguments> cases() {
            return Stream.of(
                    Arguments.of("an exact fit is accepted", 1.0, 1.0, new Resources(6, 12288), new Resources(2, 4096), null),
                    Arguments.of("one vCPU too many is rejected", 1.0, 1.0, new Resources(7, 0), new Resources(2, 1), Reject.NO_VCPU),
                    Arguments.of("one MiB too many is rejected", 1.0, 1.0, new Resources(0, 14337), new Resources(1, 2048), Reject.NO_MEMORY),
                    Arguments.of("with vCPU overcommit 2.0, 16 vCPU fit", 2.0, 1.0, new Resources(14, 0), new Resources(2, 1), null),
                    Arguments.of("with vCPU overcommit 2.0, the 17th vCPU does not fit", 2.0, 1.0, new Resources(15, 0), new Resources(2, 1), Reject.NO_VCPU),
                    Arguments.of("vCPU overcommit does not stretch memory", 2.0, 1.0, new Resources(0, 16384), new Resources(1, 1), Reject.NO_MEMORY),
                    Arguments.of("with memory overcommit 2.0, 32768 MiB fit", 1.0, 2.0, new Resources(0, 30720), new Resources(1, 2048), null),
                    Arguments.of("with vCPU overcommit 1.5, the 13th vCPU does not fit", 1.5, 1.0, new Resources(12, 0), new Resources(1, 1), Reject.NO_VCPU),
                    Arguments.of("lacking both, vCPU is reported first", 1.0, 1.0, new Resources(8, 16384), new Resources(1, 1), Reject.NO_VCPU));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("cases")
        @DisplayName("used + demand must fit in the overcommitted capacity, vCPU first")
        void capacity(String description, double cpuRatio, double memRatio, Resources used, Resources demand, Reject expected) {
            PlacementConfig config = PlacementConfig.defaults().withOvercommit(cpuRatio, memRatio);

            Reject actual = Feasibility.capacity(config).check(host(HostState.READY, Schedulability.SCHEDULABLE), used, request(demand, null));

            assertThat(actual).isEqualTo(expected);
        }
    }

    @Nested
    @DisplayName("host anti-affinity")
    class HostAntiAffinity {
        private final GroupId hard = GroupId.of("pg-hard");
        private final GroupId soft = GroupId.of("pg-soft");
        private final CloudFixture cloud = CloudFixture.withHosts(2)
                .group(hard, TENANT, GroupPolicy.HOST_ANTI_AFFINITY)
                .group(soft, TENANT, GroupPolicy.ZONE_SPREAD);
        private final HostId h1 = CloudFixture.hostId(ZONE_A, 1);
        private final HostId h2 = CloudFixture.hostId(ZONE_A, 2);

        private Reject check(HostId host, GroupId group) {
            return Feasibility.hostAntiAffinity(cloud.state())
                    .check(cloud.state().host(host), cloud.state().used(host), request(new Resources(1, 2048), group));
        }

        @Test
        @DisplayName("a host that holds a member of a hard group rejects another member")
        void rejectsSecondMember() {
            cloud.place(TENANT, C1R2, h1, hard);

            assertThat(check(h1, hard)).isEqualTo(Reject.ANTI_AFFINITY);
            assertThat(check(h2, hard)).as("a host without members").isNull();
        }

        @Test
        @DisplayName("the filter ignores requests without a group, and zone-spread groups (a preference, not a rule)")
        void ignoresOthers() {
            cloud.place(TENANT, C1R2, h1, hard);
            cloud.place(TENANT, C1R2, h1, soft);

            assertThat(check(h1, null)).isNull();
            assertThat(check(h1, soft)).isNull();
            assertThat(check(h1, GroupId.of("pg-unknown"))).isNull();
        }

        @Test
        @DisplayName("a member that left the host (stopped) no longer blocks it")
        void memberThatLeftNoLongerBlocks() {
            InstanceId member = cloud.place(TENANT, C1R2, h1, hard);
            cloud.apply(new ComputeRecord.InstanceDesiredChanged(member, DesiredState.STOPPED, CloudFixture.T0_MS));
            cloud.apply(new ComputeRecord.InstanceObserved(member, 1, InstanceState.STOPPED, CloudFixture.T0_MS));

            assertThat(check(h1, hard)).isNull();
        }
    }
}
