package org.phare.core.control;

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
        LongStream.rangeClosed(1, 10_000).forEach(seq -> ids.add(Writes.instanceId(seq)));

        assertThat(ids).hasSize(10_000);
        assertThat(ids).allSatisfy(id -> assertThat(id.value()).matches("i-0[0-9a-f]{16}"));
        assertThat(Writes.instanceId(42)).isEqualTo(Writes.instanceId(42));
    }

    @Test
    @DisplayName("a write never changes the state: runOne returns the records, the state is untouched until they are replayed")
    void writesArePure() {
        CloudFixture cloud = CloudFixture.withHosts(3);
        CloudState before = cloud.replayed();
        Command.RunInstances c = new Command.RunInstances(TENANT, C1R2, IMAGE, ZONE_A, 1, 0, null, "web");

        Decision d = Writes.runOne(cloud.state(), new Scheduler(PlacementConfig.defaults()), REGION, c, 0, "r-0test", CloudFixture.T0_MS);

        assertThat(cloud.state().differences(before)).isEmpty();
        assertThat(d.records()).hasSize(2);
        assertThat(d.records().get(0)).isInstanceOf(Record.InstanceRequested.class);
        assertThat(d.records().get(1)).isInstanceOfSatisfying(Record.InstancePlaced.class, p -> {
            assertThat(p.generation()).isEqualTo(1);
            assertThat(p.kind()).isEqualTo(Record.Placement.INITIAL);
        });
        assertThat(d.result()).isEqualTo(Result.ok(Writes.instanceId(1)));
    }

    @Test
    @DisplayName("asking for the state an instance already wants writes nothing")
    void changeDesiredIdempotent() {
        CloudFixture cloud = CloudFixture.withHosts(1);
        InstanceId id = cloud.place(C1R2, CloudFixture.hostId(ZONE_A, 1));

        Decision d = Writes.changeDesired(cloud.state(), List.of(id), DesiredState.RUNNING, CloudFixture.T0_MS);

        assertThat(d.records()).isEmpty();
        assertThat(d.result().isOk()).isTrue();
    }
}
