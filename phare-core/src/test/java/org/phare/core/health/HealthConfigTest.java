package org.phare.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("HealthConfig")
class HealthConfigTest {

    private static Duration s(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** heartbeat, suspect, fence, margin, dead, grace */
    private static HealthConfig config(double hb, double suspect, double fence, double margin, double dead, double grace) {
        return new HealthConfig(s(hb), s(suspect), s(fence), s(margin), s(dead), s(grace));
    }

    @Test
    @DisplayName("the defaults are heartbeat 1 s, suspect 2 s, fence 3 s, margin 1 s, dead 5 s, grace 5 s, and respect the safety inequality")
    void defaults() {
        HealthConfig d = HealthConfig.defaults();

        assertThat(d).isEqualTo(config(1, 2, 3, 1, 5, 5));
        assertThat(d.deadAfter()).isGreaterThan(d.fenceAfter().plus(d.fenceMargin()));
    }

    @Test
    @DisplayName("deadAfter 4 s with fenceAfter 3 s and margin 1 s is rejected, naming both sides in milliseconds")
    void rejectsDeadAfterEqualToFencePlusMargin() {
        assertThatThrownBy(() -> config(1, 2, 3, 1, 4, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deadAfter (4000 ms)")
                .hasMessageContaining("fenceAfter + fenceMargin (4000 ms)");
    }

    @Test
    @DisplayName("deadAfter 4.001 s with fenceAfter 3 s and margin 1 s is accepted")
    void acceptsJustAbove() {
        assertThat(config(1, 2, 3, 1, 4.001, 5).deadAfter()).isEqualTo(s(4.001));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("deadAfter below fenceAfter + margin", (ThrowingConfig) () -> config(1, 2, 3, 1, 3.5, 5), "fenceAfter"),
                Arguments.of("deadAfter equal to fenceAfter with no margin", (ThrowingConfig) () -> config(1, 2, 3, 0, 3, 5), "fenceAfter"),
                Arguments.of("a zero heartbeat interval", (ThrowingConfig) () -> config(0, 2, 3, 1, 5, 5), "heartbeatInterval must be positive"),
                Arguments.of("a negative fence margin", (ThrowingConfig) () -> config(1, 2, 3, -1, 5, 5), "must not be negative"),
                Arguments.of("a negative startup grace", (ThrowingConfig) () -> config(1, 2, 3, 1, 5, -1), "must not be negative"),
                Arguments.of("suspectAfter not shorter than deadAfter", (ThrowingConfig) () -> config(1, 5, 3, 1, 5, 5), "suspectAfter must be shorter than deadAfter"),
                Arguments.of("a heartbeat longer than half of fenceAfter", (ThrowingConfig) () -> config(2, 2, 3, 1, 5, 5), "at most half of fenceAfter"));
    }

    @FunctionalInterface
    interface ThrowingConfig {
        HealthConfig build();
    }

    @ParameterizedTest(name = "{0} is rejected")
    @MethodSource("invalid")
    @DisplayName("rejects inconsistent timings with a message that says which")
    void rejectsInvalid(String description, ThrowingConfig build, String message) {
        assertThatThrownBy(build::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
