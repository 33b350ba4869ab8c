package org.phare.server.runtime;

import org.phare.core.record.ComputeRecord;
import org.phare.core.record.TopologyRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.api.Json;
import org.phare.core.agent.Protocol;
import org.phare.core.control.Command;
import org.phare.core.control.Controller;
import org.phare.core.control.ControllerConfig;
import org.phare.core.control.Result;
import org.phare.core.model.HostId;
import org.phare.core.model.Image;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.Region;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.Site;
import org.phare.core.model.SiteId;
import org.phare.core.model.TenantId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;
import org.phare.server.store.LogSession;
import org.phare.server.store.Replica;

/**
 * The control loop against a log whose commits the test holds back: the loop proposes and goes on, a heartbeat is
 * answered while a write waits for its commit, a write's caller is answered once the replica replays its entry, and a
 * failed entry stops the controller and tells its callers.
 */
@DisplayName("ControlLoop: never waits on consensus")
class ControlLoopTest {
    private static final RegionId REGION = RegionId.of("eu-west-2");
    private static final ZoneId ZONE = ZoneId.of("eu-west-2a");
    private static final HostId HOST = new HostId("h-a-1");
    private final HeldLog log = new HeldLog();
    private ControlLoop loop;

    @AfterEach
    void close() {
        if (loop != null) {
            loop.close();
        }
    }

    /** A session whose entries commit when the test says so (through the replica, as Ratis would), or fail. */
    private static final class HeldLog implements LogSession {
        final List<LogSession.Proposal> proposals = new CopyOnWriteArrayList<>();
        final List<List<byte[]>> entries = new CopyOnWriteArrayList<>();

        @Override
        public long term() {
            return 3;
        }

        @Override
        public long id() {
            return 7;
        }

        @Override
        public boolean owns(Replica.Origin origin) {
            return origin.session() == 7 && origin.term() == 3 && "n1".equals(origin.node());
        }

        @Override
        public Proposal propose(List<byte[]> fragments) {
            Proposal p = new Proposal(proposals.size() + 1, 0, new CompletableFuture<>());
            entries.add(List.copyOf(fragments));
            proposals.add(p);
            return p;
        }

        List<Record> records(int entry) {
            List<Record> all = new ArrayList<>();
            entries.get(entry).forEach(f -> all.addAll(Json.decodeBatch(f)));
            return all;
        }
    }

    private static CloudState cloud() {
        CloudState s = new CloudState();
        s.replayAll(List.of(new TopologyRecord.RegionDefined(new Region(REGION, "Paris")), new TopologyRecord.ZoneDefined(new Zone(ZONE, REGION)),
                new TopologyRecord.SiteDefined(new Site(new SiteId("eu-west-2a-dc1"), ZONE, "dc1")),
                new TopologyRecord.InstanceTypeDefined(new InstanceType(new InstanceTypeId("small"), new Resources(1, 1024))),
                new TopologyRecord.ImageDefined(new Image(new ImageId("http-echo"), "echo", "http-echo")),
                new ComputeRecord.HostRegistered(HOST, ZONE, new SiteId("eu-west-2a-dc1"), new Resources(64, 65536), Map.of(), 1)));
        return s;
    }

    private void startLeading() throws Exception {
        ControllerConfig config = ControllerConfig.defaults(REGION).withPlacement(
                org.phare.core.placement.PlacementConfig.defaults().withAdmission(org.phare.core.placement.PlacementConfig.AdmissionPolicy.NONE));
        loop = new ControlLoop((committed, journal, session) -> new Controller(config, committed, journal,
                new SystemClock(), session.id()));
        loop.bind(s -> true);
        loop.reset(cloud(), 10);
        assertThat(loop.activate(log, c -> { }).get(5, TimeUnit.SECONDS)).isTrue();
    }

    private CompletableFuture<Object> runInBackground() {
        return CompletableFuture.supplyAsync(() -> loop.leader(c -> c.submit(new Command.RunInstances(new TenantId("acme"),
                new InstanceTypeId("small"), new ImageId("http-echo"), null, 1, 100, null, null))));
    }

    @Test
    @DisplayName("a heartbeat is answered while a write waits for its commit; the write is answered once its entry is replayed")
    void heartbeatWhileACommitIsPending() throws Exception {
        startLeading();
        CompletableFuture<Object> write = runInBackground();
        await().atMost(Duration.ofSeconds(5)).until(() -> !log.proposals.isEmpty());

        long t0 = System.nanoTime();
        Protocol.Reply reply = loop.callNoWait(v -> v.leader().heartbeat(new Protocol.Heartbeat(HOST, Protocol.ReplyId.NONE,
                List.of())));
        long answeredMs = (System.nanoTime() - t0) / 1_000_000;

        assertThat(reply.known()).isTrue();
        assertThat(reply.desired()).as("the placement is not committed: the agent hears nothing of it").isEmpty();
        assertThat(answeredMs).as("answered without waiting for the pending commit").isLessThan(2_000);
        assertThat(write).isNotDone();
        assertThat(loop.<Integer>call(v -> v.state().instances().size())).as("reads see what committed").isZero();

        loop.apply(11, new Replica.Origin(3, 7, "n1", 1), log.records(0));

        Object result = write.get(5, TimeUnit.SECONDS);
        assertThat(result).isInstanceOf(Result.Ok.class);
        assertThat(loop.<Integer>call(v -> v.state().instances().size())).isEqualTo(1);
        Protocol.Reply after = loop.callNoWait(v -> v.leader().heartbeat(new Protocol.Heartbeat(HOST, Protocol.ReplyId.NONE,
                List.of())));
        assertThat(after.desired()).as("committed: now assigned").hasSize(1);
    }

    @Test
    @DisplayName("writes that arrive while an entry is in flight go out together, as one entry")
    void groupCommit() throws Exception {
        startLeading();
        List<CompletableFuture<Object>> writes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            writes.add(runInBackground());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.call(v -> v.controller().state().instances().size()) == 20);
        loop.callNoWait(v -> null); // one more turn: whatever was open is sealed and proposed
        await().atMost(Duration.ofSeconds(5)).until(() -> log.entries.stream().mapToInt(List::size).sum() == 20);

        assertThat(log.proposals.size()).as("entries for 20 writes (at most 4 in flight)").isLessThan(20);
        for (int e = 0; e < log.proposals.size(); e++) {
            loop.apply(11 + e, new Replica.Origin(3, 7, "n1", e + 1), log.records(e));
        }
        for (CompletableFuture<Object> w : writes) {
            assertThat(w.get(5, TimeUnit.SECONDS)).isInstanceOf(Result.Ok.class);
        }
        assertThat(loop.groupCommits()[1]).isEqualTo(20);
    }

    @Test
    @DisplayName("an entry the log cannot confirm: its writer is told so, and the controller stops")
    void failedEntry() throws Exception {
        startLeading();
        CompletableFuture<Object> write = runInBackground();
        await().atMost(Duration.ofSeconds(5)).until(() -> !log.proposals.isEmpty());

        log.proposals.getFirst().committed().completeExceptionally(new IllegalStateException("no quorum"));

        assertThatThrownBy(() -> write.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ControlLoop.Unconfirmed.class).hasMessageContaining("retry");
        await().atMost(Duration.ofSeconds(5)).until(() -> !loop.running(log));
        assertThatThrownBy(() -> loop.leader(c -> c)).isInstanceOf(ControlLoop.NotLeader.class);
    }
}
