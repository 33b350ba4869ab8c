package org.phare.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;

@DisplayName("HostReconciler.plan: what an agent kills and starts to match the desired list")
class HostReconcilerTest {

    private static final InstanceId A = InstanceId.of("i-a");
    private static final InstanceId B = InstanceId.of("i-b");
    private static final InstanceId C = InstanceId.of("i-c");
    private static final InstanceId D = InstanceId.of("i-d");

    private static Protocol.Assignment assign(InstanceId id, long generation) {
        return new Protocol.Assignment(id, generation, ImageId.of("ami-ubuntu-2404"), new Resources(1, 2048));
    }

    @Test
    @DisplayName("kills a stale generation and a copy no longer desired, and starts the missing ones")
    void killsStaleAndUndesiredStartsMissing() {
        List<Protocol.Assignment> desired = List.of(assign(A, 2), assign(B, 1), assign(C, 1));
        Map<InstanceId, Long> running = Map.of(A, 1L, B, 1L, D, 1L);

        HostReconciler.Plan plan = HostReconciler.plan(desired, running);

        assertThat(plan.kill()).as("A runs generation 1 of 2; D is not desired").containsExactly(A, D);
        assertThat(plan.start()).as("A at its new generation, C missing").containsExactly(assign(A, 2), assign(C, 1));
    }

    @Test
    @DisplayName("leaves alone a copy running at the desired generation")
    void keepsCurrentCopies() {
        HostReconciler.Plan plan = HostReconciler.plan(List.of(assign(A, 3)), Map.of(A, 3L));

        assertThat(plan.kill()).isEmpty();
        assertThat(plan.start()).isEmpty();
    }

    @Test
    @DisplayName("an empty desired list kills everything (a stopped or fenced host), in id order")
    void emptyDesiredKillsAll() {
        HostReconciler.Plan plan = HostReconciler.plan(List.of(), Map.of(C, 1L, A, 4L, B, 2L));

        assertThat(plan.kill()).containsExactly(A, B, C);
        assertThat(plan.start()).isEmpty();
    }

    @Test
    @DisplayName("a copy at a newer generation than desired is also replaced: the agent runs exactly what it is told")
    void newerGenerationIsReplaced() {
        HostReconciler.Plan plan = HostReconciler.plan(List.of(assign(A, 1)), Map.of(A, 2L));

        assertThat(plan.kill()).containsExactly(A);
        assertThat(plan.start()).containsExactly(assign(A, 1));
    }

    @Test
    @DisplayName("is safe to run twice: after applying the plan, the next plan is empty")
    void idempotent() {
        List<Protocol.Assignment> desired = List.of(assign(A, 2), assign(C, 1));
        Map<InstanceId, Long> running = new HashMap<>(Map.of(A, 1L, B, 1L));
        HostReconciler.Plan first = HostReconciler.plan(desired, running);
        first.kill().forEach(running::remove);
        first.start().forEach(a -> running.put(a.instance(), a.generation()));

        HostReconciler.Plan second = HostReconciler.plan(desired, running);

        assertThat(running).containsExactlyInAnyOrderEntriesOf(Map.of(A, 2L, C, 1L));
        assertThat(second.kill()).isEmpty();
        assertThat(second.start()).isEmpty();
    }
}
