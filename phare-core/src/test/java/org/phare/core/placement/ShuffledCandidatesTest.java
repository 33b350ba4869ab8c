package org.phare.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.phare.core.model.HostId;

@DisplayName("ShuffledCandidates: the hosts of a zone in an order drawn from a seed")
class ShuffledCandidatesTest {

    private static List<HostId> zoneOf(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> HostId.of("h" + i)).toList();
    }

    /** Draws until the source is exhausted; a bounded loop so a broken source cannot hang the build. */
    private static List<HostId> drawAll(ShuffledCandidates candidates, int n) {
        List<HostId> drawn = new ArrayList<>();
        for (int i = 0; i <= n + 1; i++) {
            HostId h = candidates.next();
            if (h == null) {
                return drawn;
            }
            drawn.add(h);
        }
        throw new AssertionError("more than " + n + " draws from a zone of " + n + " hosts: " + drawn);
    }

    @ParameterizedTest(name = "a zone of {0} hosts, seed {1}: every host drawn exactly once, then null")
    @CsvSource({"0, 1", "1, 1", "2, 7", "3, -5", "100, 42", "100, 0", "1000, 123456789"})
    @DisplayName("draws every host exactly once")
    void drawsEveryHostExactlyOnce(int n, long seed) {
        List<HostId> hosts = zoneOf(n);
        ShuffledCandidates candidates = new ShuffledCandidates(hosts, seed);

        List<HostId> drawn = drawAll(candidates, n);

        assertThat(drawn).hasSize(n).containsExactlyInAnyOrderElementsOf(hosts);
        assertThat(candidates.next()).as("still null after exhaustion").isNull();
    }

    @Test
    @DisplayName("the same seed gives the same order (any decision can be replayed)")
    void sameSeedSameOrder() {
        List<HostId> hosts = zoneOf(100);

        List<HostId> first = drawAll(new ShuffledCandidates(hosts, 2024), 100);
        List<HostId> second = drawAll(new ShuffledCandidates(hosts, 2024), 100);

        assertThat(second).containsExactlyElementsOf(first);
    }

    @Test
    @DisplayName("different seeds give different orders for a zone of 100 hosts")
    void differentSeedsDifferentOrders() {
        List<HostId> hosts = zoneOf(100);
        Set<List<HostId>> orders = new HashSet<>();
        for (long seed = 1; seed <= 50; seed++) {
            orders.add(drawAll(new ShuffledCandidates(hosts, seed), 100));
        }

        assertThat(orders).as("50 seeds, 50 distinct orders").hasSize(50);
        assertThat(orders).as("no seed leaves the zone in registration order").doesNotContain(hosts);
    }

    @Test
    @DisplayName("every host is equally likely to be drawn first (no host is favoured by its position)")
    void firstDrawIsUniform() {
        List<HostId> hosts = zoneOf(4);
        Map<HostId, Integer> firsts = new HashMap<>();
        for (long seed = 0; seed < 8000; seed++) {
            firsts.merge(new ShuffledCandidates(hosts, seed).next(), 1, Integer::sum);
        }

        // Expected 2000 each; a biased draw (e.g. never the last host) falls far outside this band.
        assertThat(firsts).hasSize(4);
        assertThat(firsts.values()).allSatisfy(count -> assertThat(count).isBetween(1800, 2200));
    }

    @Test
    @DisplayName("a prefix of the draw does not depend on how far the scan goes (the shuffle is lazy)")
    void prefixIsStable() {
        List<HostId> hosts = zoneOf(1000);
        ShuffledCandidates partial = new ShuffledCandidates(hosts, 99);
        List<HostId> firstFive = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            firstFive.add(partial.next());
        }

        List<HostId> full = drawAll(new ShuffledCandidates(hosts, 99), 1000);

        assertThat(full.subList(0, 5)).containsExactlyElementsOf(firstFive);
    }
}
