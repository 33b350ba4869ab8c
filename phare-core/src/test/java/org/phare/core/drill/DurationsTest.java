package org.phare.core.drill;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.DisplayName;

@DisplayName("durations as a drill file writes them")
class DurationsTest {
    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({"500ms, 500", "30s, 30000", "5m, 300000", "2h, 7200000", "1d, 86400000", "0s, 0", "' 90m ', 5400000",
        "30, -1", "1h30m, -1", "-5s, -1", "5 m, -1", "1w, -1", "'', -1"})
    @DisplayName("a whole number and one unit, nothing else")
    void parse(String text, long ms) {
        assertThat(Durations.parseMs(text)).isEqualTo(ms);
    }

    @ParameterizedTest(name = "{0} ms is {1}")
    @CsvSource({"0, 0s", "500, 500ms", "1500, 1500ms", "30000, 30s", "90000, 90s", "300000, 5m", "5400000, 90m", "86400000, 1d"})
    @DisplayName("written back in the largest unit that is exact, and read again the same")
    void format(long ms, String text) {
        assertThat(Durations.format(ms)).isEqualTo(text);
        assertThat(Durations.parseMs(text)).isEqualTo(ms);
    }
}
