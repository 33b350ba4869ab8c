package org.phare.core.control;

import org.phare.core.record.ComputeRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.CloudFixture;
import org.phare.core.ControlledCloud;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

@DisplayName("What agents report and the cloud shows (a copy running, where it serves, since when) is in the log")
class ObservedStateTest {

    private static ControlledCloud runningCloud(List<InstanceId> ids) {
        ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 2);
        ids.addAll(cloud.run(CloudFixture.C1R2, null, 4, 100));
        cloud.runUntil(c -> ids.stream().allMatch(id -> c.instance(id).state() == InstanceState.RUNNING), Duration.ofSeconds(5),
                "every instance running");
        return cloud;
    }

    @Test
    @DisplayName("a new leader knows every running instance's address before any agent talks to it, and so does a follower")
    void addressesSurviveALeaderChange() {
        List<InstanceId> ids = new java.util.ArrayList<>();
        ControlledCloud cloud = runningCloud(ids);
        for (InstanceId id : ids) {
            Instance i = cloud.instance(id);
            assertThat(i.address()).isEqualTo(cloud.agent(i.host()).address(id));
            assertThat(i.runningSinceMs()).isPositive();
        }

        Controller successor = cloud.restartController();
        CloudState follower = cloud.replayed();

        for (InstanceId id : ids) {
            Instance i = cloud.instance(id);
            assertThat(successor.state().instance(id).address()).as("new leader, %s", id).isEqualTo(cloud.agent(i.host()).address(id));
            assertThat(follower.instance(id).address()).as("follower, %s", id).isEqualTo(i.address());
            assertThat(follower.instance(id).runningSinceMs()).isEqualTo(i.runningSinceMs());
        }
    }

    @Test
    @DisplayName("an unchanged address is recorded once, not at every heartbeat; a copy restarted on another port is recorded again")
    void recordedWhenItChanges() {
        List<InstanceId> ids = new java.util.ArrayList<>();
        ControlledCloud cloud = runningCloud(ids);
        int observations = cloud.journal().recordsOf(ComputeRecord.InstanceObserved.class).size();

        cloud.runFor(Duration.ofSeconds(5));
        assertThat(cloud.journal().recordsOf(ComputeRecord.InstanceObserved.class)).hasSize(observations);

        InstanceId moved = ids.get(0);
        cloud.agent(cloud.instance(moved).host()).movePort(moved);
        cloud.runFor(Duration.ofSeconds(2));

        assertThat(cloud.journal().recordsOf(ComputeRecord.InstanceObserved.class)).hasSize(observations + 1).last()
                .satisfies(o -> assertThat(o.address()).isEqualTo(cloud.agent(cloud.instance(moved).host()).address(moved)));
        assertThat(cloud.instance(moved).address()).endsWith(":8001");
        assertThat(cloud.replayed().differences(cloud.state())).isEmpty();
    }

    @Test
    @DisplayName("an instance that moves loses its old address until its new copy runs, and then shows the new one")
    void addressFollowsTheCopy() {
        List<InstanceId> ids = new java.util.ArrayList<>();
        ControlledCloud cloud = runningCloud(ids);
        InstanceId id = ids.get(0);
        var host = cloud.instance(id).host();
        cloud.agent(host).silence();

        cloud.runUntil(c -> c.instance(id).host() != null && !c.instance(id).host().equals(host), Duration.ofSeconds(10),
                "the instance re-placed");
        assertThat(cloud.instance(id).address()).isNull();
        cloud.runUntil(c -> c.instance(id).state() == InstanceState.RUNNING, Duration.ofSeconds(5), "running again");

        assertThat(cloud.instance(id).address()).isEqualTo(cloud.agent(cloud.instance(id).host()).address(id));
    }
}
