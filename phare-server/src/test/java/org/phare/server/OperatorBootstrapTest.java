package org.phare.server;

import org.phare.core.record.IdentityRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phare.api.Credentials;
import org.phare.api.Json;
import org.phare.core.control.Controller;
import org.phare.core.control.ControllerConfig;
import org.phare.core.model.RegionId;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;
import org.phare.server.auth.KeyIssuer;
import org.phare.server.auth.SecretSealer;
import org.phare.server.runtime.ControlLoop;
import org.phare.server.runtime.SystemClock;
import org.phare.server.store.LogSession;
import org.phare.server.store.Replica;

/** The first operator key of a new cloud reaches its file whatever happens to the controller that issued it. */
@DisplayName("the first operator key")
class OperatorBootstrapTest {
    @TempDir
    Path dir;

    private ControlLoop loop;

    @AfterEach
    void close() {
        if (loop != null) {
            loop.close();
        }
    }

    /** A session whose entries the test commits (or not) by hand. */
    private static final class HeldSession implements LogSession {
        final long id;
        final List<List<byte[]>> entries = new CopyOnWriteArrayList<>();

        HeldSession(long id) {
            this.id = id;
        }

        @Override
        public long term() {
            return 1;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public boolean owns(Replica.Origin origin) {
            return origin.session() == id;
        }

        @Override
        public Proposal propose(List<byte[]> fragments) {
            entries.add(List.copyOf(fragments));
            return new Proposal(entries.size(), 0, new CompletableFuture<>());
        }

        List<Record> records(int entry) {
            List<Record> all = new ArrayList<>();
            entries.get(entry).forEach(f -> all.addAll(Json.decodeBatch(f)));
            return all;
        }
    }

    @Test
    @DisplayName("a controller that stops before its key's commit is confirmed to it: the key commits all the same, and the"
            + " member's next controller writes its file")
    void writtenByTheNextControllerWhenTheFirstStopsBeforeTheCommit() throws Exception {
        ControllerConfig config = ControllerConfig.defaults(new RegionId("eu-west-2"));
        loop = new ControlLoop((committed, journal, session) -> new Controller(config, committed, journal, new SystemClock(),
                session.id()));
        loop.bind(s -> true);
        loop.reset(new CloudState(), 0);
        KeyIssuer issuer = new KeyIssuer(SecretSealer.of(new byte[32], new SecureRandom()), new SecureRandom());
        Path file = dir.resolve(PhareServer.CREDENTIALS_FILE);
        AtomicReference<KeyIssuer.Issued> unwritten = new AtomicReference<>();

        HeldSession first = new HeldSession(1);
        assertThat(loop.activate(first, c -> PhareServer.bootstrapOperator(c, issuer, file, "http://127.0.0.1:7400", loop,
                unwritten)).get(5, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !first.entries.isEmpty());
        // The controller stops (its leadership not confirmed in time) before the log hands its entry back...
        loop.deactivate(first);
        // ...and the entry commits anyway (same term): every member replays it.
        List<Record> committed = first.records(0);
        assertThat(committed).anyMatch(r -> r instanceof IdentityRecord.AccessKeyCreated);
        loop.apply(1, new Replica.Origin(1, 1, "n1", 1), committed);
        Thread.sleep(200);
        assertThat(file).as("nobody confirmed the commit to the first controller").doesNotExist();

        HeldSession second = new HeldSession(2);
        assertThat(loop.activate(second, c -> PhareServer.bootstrapOperator(c, issuer, file, "http://127.0.0.1:7400", loop,
                unwritten)).get(5, TimeUnit.SECONDS)).isTrue();
        await("the key file, written by the next controller").atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file));
        Credentials written = Credentials.fromProfile(file, "default");
        String keyId = committed.stream().filter(r -> r instanceof IdentityRecord.AccessKeyCreated).map(r -> ((IdentityRecord.AccessKeyCreated) r))
                .findFirst().orElseThrow().key().id();
        assertThat(written.accessKeyId()).as("the key the log holds, not a second one").isEqualTo(keyId);
        assertThat(second.entries).as("no second key was issued").isEmpty();
    }
}
