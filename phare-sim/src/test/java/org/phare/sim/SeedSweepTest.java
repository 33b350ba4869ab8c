package org.phare.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random faults over many seeds and cluster shapes: every safety invariant after every event, then L1 once
 * the faults heal. A failure names the seed and the command that replays it.
 *
 * <p>Long sweep (not in the normal run): {@code ./phare sim --hosts 12 --zones 3 --instances 80 --scenario random --seeds 1..10000 --json}
 */
class SeedSweepTest {

    /** 4 shapes x 60 seeds = 240 random runs. */
    static Stream<Arguments> randomRuns() {
        int[][] shapes = {{6, 2, 30}, {12, 3, 80}, {20, 3, 150}, {10, 5, 60}};
        return Stream.of(shapes).flatMap(s -> LongStream.rangeClosed(1, 60)
                .mapToObj(seed -> Arguments.of(s[0], s[1], s[2], seed * 7919 + s[0])));
    }

    @ParameterizedTest(name = "random faults on {0} hosts / {1} zones / {2} instances, seed {3}")
    @MethodSource("randomRuns")
    void randomFaultsNeverBreakAnInvariant(int hosts, int zones, int instances, long seed) {
        SimResult r = Simulation.run(SimConfig.of(hosts, zones, instances, Scenario.RANDOM, seed));
        assertThat(r.violations()).as("reproduce with: %s", r.reproduce()).isEmpty();
        assertThat(r.events()).as("the run did something").isGreaterThan(1000);
    }

    static Stream<Arguments> namedScenarios() {
        return Stream.of(Scenario.values()).flatMap(s -> LongStream.rangeClosed(1, 3).mapToObj(seed -> Arguments.of(s, seed)));
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("namedScenarios")
    void everyScenarioHoldsItsInvariantsAndConverges(Scenario scenario, long seed) {
        SimResult r = Simulation.run(SimConfig.of(30, 3, 250, scenario, seed));
        assertThat(r.violations()).as("reproduce with: %s", r.reproduce()).isEmpty();
        assertThat(r.unplacedInstances()).as("every instance finds a host again; reproduce with: %s", r.reproduce()).isZero();
        assertThat(r.recoverySeconds()).as("every affected instance runs again; reproduce with: %s", r.reproduce()).isNotNull();
    }
}
