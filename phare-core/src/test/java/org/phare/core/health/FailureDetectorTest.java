package org.phare.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;

/**
 * Default timings: heartbeat 1 s, suspect after 2 s, fence after 3 s + 1 s margin, dead after 5 s, startup
 * grace 5 s. The detector is started at {@code START}; most cases hear the host long after the grace.
 */
@DisplayName("FailureDetector")
class FailureDetectorTest {

    private static final long START = 1_000_000_000_000L;
    private static final HostId HOST = HostId.of("eu-west-2a-h1");

    private static long at(double secondsAfterStart) {
        return START + Math.round(secondsAfterStart * 1e9);
    }

    private static FailureDetector detector() {
        return new FailureDetector(HealthConfig.defaults(), START);
    }

    static Stream<Arguments> silences() {
        return Stream.of(
                Arguments.of("a host heard 1 s ago is ready", 1.0, HostState.READY),
                Arguments.of("a host heard just now is ready", 0.0, HostState.READY),
                Arguments.of("a host silent for 1.999 s is still ready", 1.999, HostState.READY),
                Arguments.of("a host silent for exactly 2 s is suspect", 2.0, HostState.SUSPECT),
                Arguments.of("a host silent for 2.5 s is suspect", 2.5, HostState.SUSPECT),
                Arguments.of("a host silent for 4.999 s is still only suspect", 4.999, HostState.SUSPECT),
                Arguments.of("a host silent for exactly 5 s is declared dead", 5.0, HostState.DEAD),
                Arguments.of("a host silent for 6 s is declared dead", 6.0, HostState.DEAD),
                Arguments.of("a host silent for an hour is dead", 3600.0, HostState.DEAD));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("silences")
    @DisplayName("judges a host by its silence on the controller's own clock")
    void judgesBySilence(String description, double silenceSeconds, HostState expected) {
        FailureDetector d = detector();
        d.heard(HOST, at(100));

        assertThat(d.judge(HOST, at(100 + silenceSeconds))).isEqualTo(expected);
    }

    @Test
    @DisplayName("a host never heard counts as heard at the start, and nobody is judged during the startup grace")
    void startupGraceForNeverHeard() {
        FailureDetector d = detector();

        assertThat(d.judge(HOST, at(0))).isEqualTo(HostState.READY);
        assertThat(d.silenceNanos(HOST, at(3))).isEqualTo(Duration.ofSeconds(3).toNanos());
        assertThat(d.judge(HOST, at(4.999))).as("grace of 5 s not yet over").isEqualTo(HostState.READY);
        assertThat(d.judge(HOST, at(5.0))).as("silent since the start for deadAfter (5 s)").isEqualTo(HostState.DEAD);
    }

    @Test
    @DisplayName("a host heard during the grace is judged from that heartbeat once the grace is over")
    void heardDuringGrace() {
        FailureDetector d = detector();
        d.heard(HOST, at(1));

        assertThat(d.silenceNanos(HOST, at(4))).isEqualTo(Duration.ofSeconds(3).toNanos());
        assertThat(d.judge(HOST, at(4.999))).isEqualTo(HostState.READY);
        assertThat(d.judge(HOST, at(5))).isEqualTo(HostState.SUSPECT);
        assertThat(d.judge(HOST, at(5.999))).isEqualTo(HostState.SUSPECT);
        assertThat(d.judge(HOST, at(6))).isEqualTo(HostState.DEAD);
    }

    @Test
    @DisplayName("a heartbeat brings a suspect host back to ready")
    void heartbeatRestores() {
        FailureDetector d = detector();
        d.heard(HOST, at(100));
        assertThat(d.judge(HOST, at(103))).isEqualTo(HostState.SUSPECT);

        d.heard(HOST, at(103));

        assertThat(d.judge(HOST, at(103.5))).isEqualTo(HostState.READY);
    }

    @Test
    @DisplayName("fenced() holds only once fenceAfter + margin (4 s) of silence have passed")
    void fencedAfterFenceAfterPlusMargin() {
        FailureDetector d = detector();
        d.heard(HOST, at(100));

        assertThat(d.fenced(HOST, at(103))).as("3 s: the lease has run out but the margin has not").isFalse();
        assertThat(d.fenced(HOST, at(103.999))).isFalse();
        assertThat(d.fenced(HOST, at(104))).isTrue();
        assertThat(d.judge(HOST, at(104))).as("fenced comes before dead").isEqualTo(HostState.SUSPECT);
    }

    @Test
    @DisplayName("a never-heard host is not considered fenced before fenceAfter + margin after the start")
    void fencedRespectsGrace() {
        FailureDetector d = detector();

        assertThat(d.fenced(HOST, at(3.999))).isFalse();
        assertThat(d.fenced(HOST, at(4))).isTrue();
    }

    @Test
    @DisplayName("grantGrace counts every host's silence from now, even hosts heard long ago, and judges nobody for the grace")
    void grantGraceResetsSilence() {
        FailureDetector d = detector();
        d.heard(HOST, at(100));
        assertThat(d.judge(HOST, at(120))).isEqualTo(HostState.DEAD);

        d.grantGrace(at(120));

        assertThat(d.silenceNanos(HOST, at(124))).isEqualTo(Duration.ofSeconds(4).toNanos());
        assertThat(d.inGrace(at(124.999))).isTrue();
        assertThat(d.judge(HOST, at(124.999))).isEqualTo(HostState.READY);
        assertThat(d.fenced(HOST, at(123.999))).isFalse();
        assertThat(d.fenced(HOST, at(124))).isTrue();
        assertThat(d.judge(HOST, at(125))).isEqualTo(HostState.DEAD);
    }

    @Test
    @DisplayName("grantGrace never shortens a grace already running")
    void grantGraceNeverShortens() {
        FailureDetector d = detector();

        d.grantGrace(at(-10));

        assertThat(d.judge(HOST, at(4.999))).isEqualTo(HostState.READY);
        assertThat(d.judge(HOST, at(5))).isEqualTo(HostState.DEAD);
    }

    @Test
    @DisplayName("forget() drops what was heard: the host counts from the start again")
    void forget() {
        FailureDetector d = detector();
        d.heard(HOST, at(100));
        d.forget(HOST);

        assertThat(d.silenceNanos(HOST, at(100))).isEqualTo(Duration.ofSeconds(100).toNanos());
    }

    @Test
    @DisplayName("silence is measured on the monotonic clock even when it reads negative numbers")
    void negativeMonotonicTime() {
        FailureDetector d = new FailureDetector(HealthConfig.defaults(), -50_000_000_000L);
        d.heard(HOST, -30_000_000_000L);

        assertThat(d.judge(HOST, -24_000_000_000L)).isEqualTo(HostState.DEAD);
        assertThat(d.judge(HOST, -27_500_000_000L)).isEqualTo(HostState.SUSPECT);
    }
}
