package org.phare.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.core.CloudFixture.C1R2;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.ControlledCloud;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.record.ClusterRecord;
import org.phare.core.record.ComputeRecord;
import org.phare.core.record.RecordTypes;
import org.phare.core.state.CloudState;

@DisplayName("the log format: a record type is written only once the format that introduced it is in force")
class LogFormatTest {
    private final ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 3);

    private static String code(Result r) {
        return r instanceof Result.Rejected x ? x.code() : "ok";
    }

    @Test
    @DisplayName("a cloud whose log never raised its format is at format 1, and a rename (format 2) is refused until it is raised")
    void gate() {
        InstanceId id = cloud.runOne(C1R2, null, 0);
        assertThat(cloud.state().logFormat()).isEqualTo(1);
        int records = cloud.log().size();

        Result refused = cloud.submit(new Command.RenameInstance(id, "web"));
        assertThat(refused).isInstanceOfSatisfying(Result.Rejected.class, r -> {
            assertThat(r.code()).isEqualTo("LogFormatTooOld");
            assertThat(r.message()).contains("needs log format 2").contains("phare cluster upgrade-format");
        });
        assertThat(cloud.log()).as("nothing written").hasSize(records);

        assertThat(cloud.submit(new Command.RaiseLogFormat(2, "operator"))).isEqualTo(Result.ok(2));
        assertThat(cloud.log().getLast()).isInstanceOfSatisfying(ClusterRecord.LogFormatRaised.class,
                r -> assertThat(r.format()).isEqualTo(2));
        assertThat(cloud.state().logFormat()).isEqualTo(2);

        assertThat(code(cloud.submit(new Command.RenameInstance(id, "web")))).isEqualTo("ok");
        assertThat(cloud.log().getLast()).isInstanceOf(ComputeRecord.InstanceRenamed.class);
        assertThat(cloud.state().instance(id).name()).isEqualTo("web");

        // replay and restore agree on the format and the name
        CloudState replayed = new CloudState();
        replayed.replayAll(cloud.log());
        assertThat(replayed.differences(cloud.state())).isEmpty();
        assertThat(CloudState.restore(cloud.state().snapshot()).logFormat()).isEqualTo(2);
    }

    @Test
    @DisplayName("raising is idempotent and bounded by what this release knows; it never goes down")
    void raise() {
        assertThat(cloud.submit(new Command.RaiseLogFormat(1, "operator"))).as("already at 1").isEqualTo(Result.ok(1));
        assertThat(code(cloud.submit(new Command.RaiseLogFormat(RecordTypes.CURRENT_FORMAT + 1, "operator"))))
                .isEqualTo("InvalidParameterValue");
        assertThat(code(cloud.submit(new Command.RaiseLogFormat(0, "operator")))).isEqualTo("InvalidParameterValue");
        cloud.submit(new Command.RaiseLogFormat(2, "operator"));
        int records = cloud.log().size();
        assertThat(cloud.submit(new Command.RaiseLogFormat(1, "operator"))).as("never down").isEqualTo(Result.ok(2));
        assertThat(cloud.submit(new Command.RaiseLogFormat(2, "operator"))).isEqualTo(Result.ok(2));
        assertThat(cloud.log()).hasSize(records);
    }

    @Test
    @DisplayName("a rename is refused for an unknown or terminated instance and a bad name, with stable codes")
    void renameRefusals() {
        cloud.submit(new Command.RaiseLogFormat(2, "operator"));
        InstanceId id = cloud.runOne(C1R2, null, 0);
        assertThat(code(cloud.submit(new Command.RenameInstance(new InstanceId("i-0000000000000000f"), "x")))).isEqualTo("NotFound");
        assertThat(code(cloud.submit(new Command.RenameInstance(id, " ")))).isEqualTo("InvalidParameterValue");
        assertThat(code(cloud.submit(new Command.RenameInstance(id, "x".repeat(129))))).isEqualTo("InvalidParameterValue");
        cloud.submit(new Command.TerminateInstances(java.util.List.of(id)));
        cloud.runFor(java.time.Duration.ofSeconds(5));
        assertThat(cloud.instance(id).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(code(cloud.submit(new Command.RenameInstance(id, "late")))).isEqualTo("Conflict");
    }
}
