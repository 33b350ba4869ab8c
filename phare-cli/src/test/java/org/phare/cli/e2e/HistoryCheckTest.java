package org.phare.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The history check's verdict catches each kind of violation (so that its "0 violations" means something). */
class HistoryCheckTest {

    private static JsonNode instance(String id, String token, String desired) {
        return LocalCloud.readTree("{\"id\":\"" + id + "\",\"clientToken\":" + (token == null ? "null" : "\"" + token + "\"")
                + ",\"desired\":\"" + desired + "\"}");
    }

    @Test
    void aConsistentHistoryHasNoViolation() {
        assertThat(HistoryCheck.violations(Map.of("t1", "i-1"), Set.of("i-1"), Set.of("t1", "t2"),
                List.of(instance("i-1", "t1", "terminated")))).isEmpty();
    }

    @Test
    void eachKindOfViolationIsReported() {
        assertThat(HistoryCheck.violations(Map.of("t1", "i-1"), Set.of(), Set.of("t1"), List.of()))
                .singleElement().asString().contains("acknowledged creation t1");
        assertThat(HistoryCheck.violations(Map.of("t1", "i-1"), Set.of(), Set.of("t1"),
                List.of(instance("i-1", "t1", "running"), instance("i-2", "t1", "running"))))
                .anyMatch(v -> v.contains("created 2 instances"));
        assertThat(HistoryCheck.violations(Map.of(), Set.of(), Set.of("t2"),
                List.of(instance("i-3", "t2", "running"), instance("i-4", "t2", "running"))))
                .singleElement().asString().contains("token t2 created 2 instances");
        assertThat(HistoryCheck.violations(Map.of("t1", "i-1"), Set.of("i-1"), Set.of("t1"),
                List.of(instance("i-1", "t1", "running"))))
                .singleElement().asString().contains("deletion of i-1 not in effect");
        assertThat(HistoryCheck.violations(Map.of(), Set.of(), Set.of(), List.of(instance("i-5", null, "running"))))
                .singleElement().asString().contains("no client used");
    }
}
