package org.phare.core.control;

import org.phare.core.record.ComputeRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.core.CloudFixture.C1R2;
import static org.phare.core.CloudFixture.IMAGE;
import static org.phare.core.CloudFixture.REGION;
import static org.phare.core.CloudFixture.TENANT;
import static org.phare.core.CloudFixture.ZONE_A;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.CloudFixture;
import org.phare.core.model.DesiredState;
import org.phare.core.model.InstanceId;
import org.phare.core.placement.PlacementConfig;
import org.phare.core.placement.Scheduler;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

@DisplayName("Writes: pure decisions")
class WritesTest {

    @Test
    @DisplayName("instance ids look like EC2's, are unique and are reproducible from the creation sequence")
    void instanceIds() {
        Set<InstanceId> ids = new HashSet<>();
        LongStream.rangeClosed(1, 10_000).forEach(seq -> ids.add(ComputeWrites.instanceId(0, seq)));

        assertThat(ids).hasSize(10_000);
        assertThat(ids).allSatisfy(id -> assertThat(id.value()).matches("i-0[0-9a-f]{16}"));
        assertThat(ComputeWrites.instanceId(0, 42)).isEqualTo(ComputeWrites.instanceId(0, 42));
    }

    @Test
    @DisplayName("two clouds with two salts give no common instance, reservation or key pair id")
    void saltsSeparateClouds() {
        Set<String> first = new HashSet<>();
        Set<String> second = new HashSet<>();
        long a = 0x1234_5678_9abc_def0L;
        long b = 0x0fed_cba9_8765_4321L;
        for (long seq = 1; seq <= 10_000; seq++) {
            first.add(ComputeWrites.instanceId(a, seq).value());
            first.add(ComputeWrites.reservationId(a, seq));
            first.add(IdentityWrites.keyPairId(a, seq));
            second.add(ComputeWrites.instanceId(b, seq).value());
            second.add(ComputeWrites.reservationId(b, seq));
            second.add(IdentityWrites.keyPairId(b, seq));
        }

        Set<String> common = new HashSet<>(first);
        common.retainAll(second);
        assertThat(first).hasSize(30_000);
        assertThat(common).isEmpty();
    }

    @Test
    @DisplayName("the id salt is set once, before the first instance: the same salt again is harmless, another is refused")
    void saltSetOnce() {
        CloudFixture cloud = CloudFixture.withHosts(3);
        CloudState state = cloud.replayed();
        Decision first = ClusterWrites.setIdSalt(state, new Command.SetIdSalt(42));
        first.records().forEach(state::replay);

        assertThat(state.idSalt()).isEqualTo(42);
        assertThat(ClusterWrites.setIdSalt(state, new Command.SetIdSalt(42)).records()).isEmpty();
        assertThat(ClusterWrites.setIdSalt(state, new Command.SetIdSalt(7)).result()).isInstanceOfSatisfying(Result.Rejected.class,
                r -> assertThat(r.code()).isEqualTo("Conflict"));
        Command.RunInstances c = new Command.RunInstances(TENANT, C1R2, IMAGE, ZONE_A, 1, 0, null, "web");
        Decision run = ComputeWrites.runOne(state, new Scheduler(PlacementConfig.defaults()), REGION, c, 0, "r-0test", CloudFixture.T0_MS);
        assertThat(run.result()).isEqualTo(Result.ok(ComputeWrites.instanceId(42, 1)));
    }

    @Test
    @DisplayName("room: as many instances as RunInstances admits one after another, with the state left untouched")
    void roomIsWhatRunAdmits() {
        for (int hosts : new int[] {1, 2, 3, 4}) {
            CloudFixture cloud = CloudFixture.withHosts(hosts);
            CloudState state = cloud.replayed();
            Scheduler scheduler = new Scheduler(PlacementConfig.defaults());

            int room = ComputeWrites.room(state, scheduler, REGION, C1R2, 1_000);

            assertThat(state.differences(cloud.replayed())).as("untouched").isEmpty();
            int admitted = 0;
            while (true) {
                Command.RunInstances c = new Command.RunInstances(TENANT, C1R2, IMAGE, null, 1, 0, null, null);
                Decision d = ComputeWrites.runOne(state, scheduler, REGION, c, 0, "r-0test", CloudFixture.T0_MS);
                if (!d.result().isOk()) {
                    break;
                }
                d.records().forEach(state::replay);
                admitted++;
            }
            assertThat(room).as("%d host(s) per zone", hosts).isEqualTo(admitted);
            assertThat(ComputeWrites.room(cloud.replayed(), scheduler, REGION, C1R2, 2)).isEqualTo(Math.min(2, admitted));
        }
    }

    @Test
    @DisplayName("a write never changes the state: runOne returns the records, the state is untouched until they are replayed")
    void writesArePure() {
        CloudFixture cloud = CloudFixture.withHosts(3);
        CloudState before = cloud.replayed();
        Command.RunInstances c = new Command.RunInstances(TENANT, C1R2, IMAGE, ZONE_A, 1, 0, null, "web");

        Decision d = ComputeWrites.runOne(cloud.state(), new Scheduler(PlacementConfig.defaults()), REGION, c, 0, "r-0test", CloudFixture.T0_MS);

        assertThat(cloud.state().differences(before)).isEmpty();
        assertThat(d.records()).hasSize(2);
        assertThat(d.records().get(0)).isInstanceOf(ComputeRecord.InstanceRequested.class);
        assertThat(d.records().get(1)).isInstanceOfSatisfying(ComputeRecord.InstancePlaced.class, p -> {
            assertThat(p.generation()).isEqualTo(1);
            assertThat(p.kind()).isEqualTo(ComputeRecord.Placement.INITIAL);
        });
        assertThat(d.result()).isEqualTo(Result.ok(ComputeWrites.instanceId(0, 1)));
    }

    @Test
    @DisplayName("asking for the state an instance already wants writes nothing")
    void changeDesiredIdempotent() {
        CloudFixture cloud = CloudFixture.withHosts(1);
        InstanceId id = cloud.place(C1R2, CloudFixture.hostId(ZONE_A, 1));

        Decision d = ComputeWrites.changeDesired(cloud.state(), List.of(id), DesiredState.RUNNING, CloudFixture.T0_MS);

        assertThat(d.records()).isEmpty();
        assertThat(d.result().isOk()).isTrue();
    }
}
