package org.phare.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.phare.api.Json;

class LogEntryTest {

    @Test
    void aBatchKeepsItsTagsAndRecords() {
        LogEntry.Batch b = new LogEntry.Batch(7, (7L << 20) | 3, "n\"1", 42, TestBatches.batch(1));
        assertThat(LogEntry.decode(LogEntry.encode(b))).isEqualTo(b);
        assertThat(b.decidedIn(7)).isTrue();
        assertThat(b.decidedIn(8)).as("a batch that reached the log in a later term").isFalse();
    }

    @Test
    void aMemberAnnouncementRoundTrips() {
        LogEntry.Member m = new LogEntry.Member(new MemberInfo("n2", "eu-west-2b", "127.0.0.1:7402"));
        assertThat(LogEntry.decode(LogEntry.encode(m))).isEqualTo(m);
    }

    @Test
    void aBareArrayIsABatchOfTheOneMemberLogAlwaysApplied() {
        LogEntry e = LogEntry.decode(Json.encodeBatch(TestBatches.batch(2)));
        assertThat(e).isInstanceOfSatisfying(LogEntry.Batch.class, b -> {
            assertThat(b.records()).isEqualTo(TestBatches.batch(2));
            assertThat(b.decidedIn(99)).isTrue();
        });
    }

    @Test
    void garbageIsRefused() {
        assertThatThrownBy(() -> LogEntry.decode("{\"x\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogEntry.decode("{\"term\":1,\"records\":[".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(LogEntry.decode(LogEntry.encode(new LogEntry.Batch(1, 1, "n", 1, List.of()))))
                .isEqualTo(new LogEntry.Batch(1, 1, "n", 1, List.of()));
    }
}
