package org.phare.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phare.core.model.Host;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.model.SiteId;
import org.phare.core.model.ZoneId;

/** Slot of 4 vCPU / 8192 MiB; figures in millionths of a slot. */
@DisplayName("Sizing: the failover reserve's units")
class SizingTest {

    private static final Sizing SIZING = new Sizing(1.0, 1.0, new Resources(4, 8192));
    private static final Host HOST = new Host(HostId.of("h"), ZoneId.of("z"), SiteId.of("s"), new Resources(8, 16384),
            Map.of(), HostState.READY, Schedulability.SCHEDULABLE, 0, null);

    static Stream<Arguments> weights() {
        return Stream.of(
                Arguments.of("a quarter slot weighs just over 0.25", new Resources(1, 2048), 250_001L),
                Arguments.of("a full slot weighs just over 1", new Resources(4, 8192), 1_000_001L),
                Arguments.of("the larger share counts: 1 vCPU with a full slot of memory weighs 1", new Resources(1, 8192), 1_000_001L),
                Arguments.of("shares round up: 1 MiB weighs more than 0.25 vCPU would alone", new Resources(1, 2049), 250_124L),
                Arguments.of("nothing weighs almost nothing", Resources.ZERO, 1L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("weights")
    @DisplayName("an instance weighs its largest share of a slot, rounded up, plus one millionth")
    void weight(String description, Resources demand, long expected) {
        assertThat(SIZING.weight(demand)).isEqualTo(expected);
    }

    static Stream<Arguments> slacks() {
        return Stream.of(
                Arguments.of("an empty 2-slot host has a slack of 1 slot", Resources.ZERO, 1_000_000L),
                Arguments.of("a host with 1.5 slots free has 0.5 of slack", new Resources(2, 4096), 500_000L),
                Arguments.of("a host with exactly one slot free has none", new Resources(4, 8192), 0L),
                Arguments.of("a full host has none (never negative)", new Resources(8, 16384), 0L),
                Arguments.of("the scarcer resource decides: free vCPU but no memory is no slack", new Resources(0, 12288), 0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("slacks")
    @DisplayName("a host's slack is its room in slots (the scarcer resource, rounded down) minus one slot")
    void slack(String description, Resources used, long expected) {
        assertThat(SIZING.slack(HOST, used)).isEqualTo(expected);
    }

    @Test
    @DisplayName("overcommit widens the room before it is counted")
    void overcommit() {
        assertThat(new Sizing(2.0, 2.0, new Resources(4, 8192)).slack(HOST, Resources.ZERO)).isEqualTo(3_000_000L);
        assertThat(new Sizing(2.0, 1.0, new Resources(4, 8192)).slack(HOST, Resources.ZERO)).as("memory still binds").isEqualTo(1_000_000L);
    }

    @Test
    @DisplayName("with no instance type defined there is no slot: weights and slack are zero")
    void noSlot() {
        assertThat(Sizing.initial().weight(new Resources(4, 8192))).isZero();
        assertThat(Sizing.initial().slack(HOST, Resources.ZERO)).isZero();
    }
}
