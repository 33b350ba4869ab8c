package org.phare.server.forward;

import org.phare.core.record.TopologyRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.model.Image;
import org.phare.core.model.ImageId;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;
import org.phare.server.runtime.ControlLoop;
import org.phare.server.store.Replica;

/** A follower's replica that the test feeds by hand, as Ratis would: reads wait for what they must see, boundedly. */
@DisplayName("ReadYourWrites: a read on a follower sees the client's last write, or is refused")
class ReadYourWritesTest {
    private final ControlLoop loop = new ControlLoop((committed, journal, session) -> {
        throw new IllegalStateException("a follower runs no controller");
    });

    @AfterEach
    void close() {
        loop.close();
    }

    private static List<Record> image(String id) {
        return List.of(new TopologyRecord.ImageDefined(new Image(new ImageId(id), id, "http-echo")));
    }

    @Test
    @DisplayName("a read that must see entry 12 waits until the replica applied it, then sees the write")
    void aReadWaitsForTheEntryItMustSee() throws Exception {
        loop.reset(new CloudState(), 10);
        ReadYourWrites reads = new ReadYourWrites(loop, 5_000);
        reads.await(10); // already there: at once
        assertThat(reads.applied()).isEqualTo(10);

        CompletableFuture<Boolean> read = CompletableFuture.supplyAsync(() -> {
            reads.await(12);
            return loop.call(v -> v.state().images().containsKey(new ImageId("img-12")));
        });
        Thread.sleep(200);
        assertThat(read).as("entry 12 is not applied yet").isNotDone();
        loop.apply(11, Replica.Origin.NONE, image("img-11"));
        Thread.sleep(100);
        assertThat(read).as("entry 11 is not enough").isNotDone();
        loop.apply(12, Replica.Origin.NONE, image("img-12"));
        assertThat(read.get(5, TimeUnit.SECONDS)).as("the read sees the write of entry 12").isTrue();
        assertThat(reads.applied()).isEqualTo(12);
    }

    @Test
    @DisplayName("a member that does not catch up within the bound refuses the read (Lagging) instead of answering stale")
    void aLaggingMemberRefuses() {
        loop.reset(new CloudState(), 10);
        ReadYourWrites reads = new ReadYourWrites(loop, 300);
        long started = System.nanoTime();
        assertThatThrownBy(() -> reads.await(20)).isInstanceOf(ReadYourWrites.Lagging.class)
                .hasMessageContaining("up to entry 10").hasMessageContaining("entry 20");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("waited its bound, no more")
                .isBetween(250L, 3_000L);
    }

    @Test
    @DisplayName("each key's last write through this member is remembered, the highest index wins, the memory is bounded")
    void lastWritesPerKey() {
        ReadYourWrites reads = new ReadYourWrites(loop);
        assertThat(reads.lastWrite("PHK1")).isZero();
        reads.wrote("PHK1", 15);
        reads.wrote("PHK1", 14);
        reads.wrote("PHK2", 3);
        assertThat(reads.lastWrite("PHK1")).isEqualTo(15);
        assertThat(reads.lastWrite("PHK2")).isEqualTo(3);
        for (int i = 0; i < ReadYourWrites.MAX_KEYS; i++) {
            reads.wrote("K" + i, 100 + i);
        }
        assertThat(reads.lastWrite("PHK1")).as("the oldest writer is forgotten past %d keys", ReadYourWrites.MAX_KEYS).isZero();
        assertThat(reads.lastWrite("K" + (ReadYourWrites.MAX_KEYS - 1))).isEqualTo(100 + ReadYourWrites.MAX_KEYS - 1);
    }

    @Test
    @DisplayName("Phare-Min-Index: absent is 0, a number is read, anything else is refused")
    void minIndexHeader() {
        assertThat(ReadYourWrites.parse(null)).isZero();
        assertThat(ReadYourWrites.parse(" 42 ")).isEqualTo(42);
        assertThatThrownBy(() -> ReadYourWrites.parse("soon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Phare-Min-Index");
    }
}
