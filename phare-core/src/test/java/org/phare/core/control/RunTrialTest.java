package org.phare.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.phare.core.CloudFixture;
import org.phare.core.ControlledCloud;
import org.phare.core.model.GroupId;
import org.phare.core.model.GroupPolicy;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.TenantId;
import org.phare.core.model.ZoneId;
import org.phare.core.state.CloudState;

/**
 * Runs of several instances are decided in a trial that is rolled back: over random sequences of runs that fit,
 * fall short or fit in part, with stops and terminations between them, the leader's state stays exactly the
 * state the log replays to, the state a snapshot restores to, and the state a copy (a new controller's) starts from.
 */
class RunTrialTest {
    private static final List<InstanceTypeId> TYPES = List.of(CloudFixture.C1R2, CloudFixture.C2R4);
    private static final List<ZoneId> ZONES = List.of(CloudFixture.ZONE_A, CloudFixture.ZONE_B);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void rolledBackTrialsLeaveNoTrace(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 2);
        GroupId group = GroupId.of("pg");
        TenantId[] tenants = {CloudFixture.TENANT, CloudFixture.OTHER_TENANT};
        cloud.submit(new Command.CreatePlacementGroup(new PlacementGroup(group, tenants[0], GroupPolicy.HOST_ANTI_AFFINITY)));
        List<InstanceId> ids = new ArrayList<>();
        int refused = 0;
        CloudState copyAt30 = null;
        CloudState restoredAt30 = null;
        for (int step = 0; step < 60; step++) {
            if (step == 30) {
                // A copy (what a new controller starts from) equals the state, and shares nothing with it.
                copyAt30 = cloud.state().copy();
                restoredAt30 = CloudState.restore(cloud.state().snapshot());
                assertThat(copyAt30.differences(cloud.state())).isEmpty();
            }
            int count = 1 + random.nextInt(12);
            int min = 1 + random.nextInt(count);
            TenantId tenant = tenants[random.nextInt(2)];
            Command.RunInstances run = new Command.RunInstances(tenant, TYPES.get(random.nextInt(TYPES.size())),
                    CloudFixture.IMAGE, random.nextBoolean() ? null : ZONES.get(random.nextInt(ZONES.size())), count, 0,
                    tenant.equals(tenants[0]) && random.nextInt(4) == 0 ? group : null, null,
                    random.nextInt(3) == 0 ? "token-" + random.nextInt(10) : null, min, null, null,
                    random.nextBoolean() ? Map.of("step", Integer.toString(step)) : Map.of());
            Result r = cloud.submit(run);
            if (r instanceof Result.Ok ok) {
                ((List<?>) ok.value()).forEach(id -> ids.add((InstanceId) id));
            } else {
                refused++;
            }
            if (!ids.isEmpty() && random.nextInt(3) == 0) {
                InstanceId victim = ids.get(random.nextInt(ids.size()));
                cloud.submit(random.nextBoolean() ? new Command.TerminateInstances(List.of(victim))
                        : new Command.StopInstances(List.of(victim)));
            }
            cloud.runFor(Duration.ofMillis(300));
            assertThat(cloud.state().differences(cloud.replayed())).as("step %d: %s -> %s", step, run, r).isEmpty();
        }
        assertThat(CloudState.restore(cloud.state().snapshot()).differences(cloud.state())).isEmpty();
        assertThat(copyAt30.differences(restoredAt30)).as("the copy did not move with the state").isEmpty();
        assertThat(copyAt30.differences(cloud.state())).as("the state moved on after the copy").isNotEmpty();
        assertThat(refused).as("some runs fell short (the trials were rolled back)").isPositive();
        assertThat(ids).as("and some ran").isNotEmpty();
        cloud.assertOneCopyEach();
    }
}
