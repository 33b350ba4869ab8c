package org.phare.server.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.phare.api.Json;
import org.phare.core.control.Journal;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;
import org.phare.core.state.StateSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable record log: an Apache Ratis group with one member (the embedded default), stored in a
 * directory of its own. Each log entry is one batch of records in the form of {@link Json#encodeBatch}.
 *
 * <p><b>Durability.</b> {@link #append} returns only once the batch is committed, and in a one-member group
 * committed means written and {@code fsync}'d by Ratis ({@code FileChannel.force}; unsafe and asynchronous
 * flushing are explicitly off). A {@code kill -9} of the process therefore loses nothing that was
 * acknowledged; a batch whose append had not returned may or may not be found after a restart.
 *
 * <p><b>Snapshots.</b> {@link #open} rebuilds the state from the latest snapshot file plus the entries after it.
 * Ratis never snapshots on its own (neither automatically nor on stop): the owner of the live state calls
 * {@link #saveSnapshot} with a {@link StateSnapshot} and the log index it describes (see that method); the log
 * is then purged up to that index and only the {@link Options#snapshotsRetained} latest snapshot files are kept.
 *
 * <p><b>Threading.</b> {@link #append} is thread-safe; concurrent batches are committed in the order they were
 * handed to Ratis. {@link #lastAppliedIndex} may be called from any thread. {@link #close} may be called from
 * any thread, at most once usefully (later calls do nothing); appends in flight then fail with
 * {@link LogUnavailableException}. {@link #saveSnapshot} calls are serialised; they may run concurrently with
 * appends.
 *
 * <p><b>Logging.</b> Ratis logs every configuration key it reads at INFO, its gRPC log appender floods WARN
 * lines about unreachable peers, and its client logs each failed retry at ERROR with a stack trace (about every
 * 5 s while the server is unreachable): run with {@code org.apache.ratis} at WARN and
 * {@code org.apache.ratis.grpc.server.GrpcLogAppender} at ERROR (as the tests' logback-test.xml does).
 */
public final class RatisLog implements Journal, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RatisLog.class);

    /**
     * The id of the one group. Ratis keeps a group's files under {@code <dataDir>/<group uuid>/}, so the
     * id must never change: it is derived from the name {@code phare:record-log} (UUID version 3).
     */
    static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(UUID.fromString("b217324a-358c-37d2-b82e-fb162840034b"));

    /** How long {@link #append} waits for the commit before giving up. */
    static final long APPEND_TIMEOUT_MS = 10_000;
    /** How long {@link #open} waits for the member to become a ready leader. */
    static final long LEADER_TIMEOUT_MS = 30_000;
    /** How long {@link #open} waits for the replay of the log after the latest snapshot. */
    static final long RECOVERY_TIMEOUT_MS = 300_000;
    /**
     * The largest encoded batch accepted: below Ratis's 4 MB log-appender buffer (what a leader sends a
     * follower at once, relevant once the group has several members) and its 8 MB log write buffer.
     */
    public static final int MAX_BATCH_BYTES = 4 * 1024 * 1024 - 64 * 1024;

    private static final String LOOPBACK = "127.0.0.1";

    /** How long {@link #saveSnapshot} waits for Ratis to take the snapshot it wrote. */
    static final long SNAPSHOT_TIMEOUT_MS = 30_000;

    /**
     * Tuning of the log.
     *
     * @param snapshotEvery     take a snapshot once the log index advanced this much since the last one (read by
     *                          the owner of the state, see {@link #snapshotDue()}). Indexes count Ratis's own
     *                          entries too: a metadata entry follows most commits, so with one batch per commit
     *                          10,000 indexes are about 5,000 batches
     * @param snapshotsRetained how many snapshot files to keep (at least 1)
     * @param segmentSizeBytes  the size at which Ratis closes a log segment and opens the next; only closed
     *                          segments can be purged
     */
    public record Options(long snapshotEvery, int snapshotsRetained, long segmentSizeBytes) {
        public static final long DEFAULT_SNAPSHOT_EVERY = 10_000;
        public static final int DEFAULT_SNAPSHOTS_RETAINED = 2;
        /** Ratis's default (32 MB). */
        public static final long DEFAULT_SEGMENT_SIZE_BYTES = 32L * 1024 * 1024;

        public Options {
            if (snapshotEvery < 1) {
                throw new IllegalArgumentException("snapshotEvery must be positive, got " + snapshotEvery);
            }
            if (snapshotsRetained < 1) {
                throw new IllegalArgumentException("snapshotsRetained must be positive, got " + snapshotsRetained);
            }
            if (segmentSizeBytes < 64 * 1024) {
                throw new IllegalArgumentException("segmentSizeBytes must be at least 64 KiB, got " + segmentSizeBytes);
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_SNAPSHOT_EVERY, DEFAULT_SNAPSHOTS_RETAINED, DEFAULT_SEGMENT_SIZE_BYTES);
        }

        public Options withSnapshotEvery(long entries) {
            return new Options(entries, snapshotsRetained, segmentSizeBytes);
        }

        public Options withSegmentSizeBytes(long bytes) {
            return new Options(snapshotEvery, snapshotsRetained, bytes);
        }
    }

    private final Path dataDir;
    private final RaftServer server;
    private final RaftClient client;
    private final RecordStateMachine stateMachine;
    private final Options options;
    private final Object lifecycle = new Object();
    /** One snapshot at a time. */
    private final Object snapshotLock = new Object();
    /** The recovered state until {@link #recoveredState()} hands it over. Guarded by lifecycle. */
    private CloudState recovered;
    /** Guarded by lifecycle. */
    private boolean closed;
    /** Set once an append could not be confirmed; every later append is refused. Guarded by lifecycle. */
    private Throwable broken;

    private RatisLog(Path dataDir, RaftServer server, RaftClient client, RecordStateMachine stateMachine,
                     Options options, CloudState recovered) {
        this.dataDir = dataDir;
        this.server = server;
        this.client = client;
        this.stateMachine = stateMachine;
        this.options = options;
        this.recovered = recovered;
    }

    /** {@link #open(Path, String, int, Options)} with the default options. */
    public static RatisLog open(Path dataDir, String nodeId, int raftPort) throws IOException {
        return open(dataDir, nodeId, raftPort, Options.defaults());
    }

    /**
     * Opens (or creates) the one-member group stored under {@code dataDir}, listening for Raft on the given
     * loopback port, and rebuilds the state before returning: the latest snapshot, if any, plus every committed
     * batch after it. The caller takes that state with {@link #recoveredState()}.
     *
     * <p>{@code dataDir} belongs to the log (give it a directory of its own, such as {@code <data-dir>/log}):
     * a missing or empty directory is formatted ({@code StartupOption.FORMAT}); a directory holding this log's
     * group is recovered ({@code StartupOption.RECOVER}); any other non-empty directory is refused, so that a
     * wrong path never starts an empty cloud next to someone else's files.
     *
     * @param dataDir   the log's directory
     * @param nodeId    this member's Raft peer id; keep it stable across restarts
     * @param raftPort  the loopback port for Raft, 0 to pick a free one
     * @param options   snapshot and segment tuning
     * @throws IOException if the directory cannot be used, Ratis fails to start, the latest snapshot cannot be
     *                     read, no leader is ready within 30 s, the replay does not finish within 5 minutes, or
     *                     a batch cannot be decoded or replayed (the message names the log index)
     */
    public static RatisLog open(Path dataDir, String nodeId, int raftPort, Options options) throws IOException {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(options, "options");
        if (raftPort < 0 || raftPort > 65_535) {
            throw new IllegalArgumentException("raft port must be in 0..65535, got " + raftPort);
        }
        long started = System.nanoTime();
        Path dir = dataDir.toAbsolutePath().normalize();
        RaftStorage.StartupOption option = startupOption(dir);
        int port = raftPort == 0 ? freeLoopbackPort() : raftPort;
        RaftPeer peer = RaftPeer.newBuilder()
                .setId(RaftPeerId.valueOf(nodeId))
                .setAddress(LOOPBACK + ":" + port)
                .build();
        RaftGroup group = RaftGroup.valueOf(GROUP_ID, peer);
        RaftProperties properties = properties(dir, port, options);
        RecordStateMachine stateMachine = new RecordStateMachine();

        RaftServer server = null;
        RaftClient client = null;
        try {
            server = RaftServer.newBuilder()
                    .setServerId(peer.getId())
                    .setGroup(group)
                    .setStateMachine(stateMachine)
                    .setProperties(properties)
                    .setOption(option)
                    .build();
            try {
                server.start();
            } catch (java.util.concurrent.CompletionException e) {
                // Ratis reports a state machine that cannot initialise (an unreadable snapshot) this way.
                if (e.getCause() instanceof IOException io) {
                    throw new IOException("cannot start the record log in " + dir + ": " + io.getMessage(), io);
                }
                throw e;
            }
            awaitLeaderReady(server, dir);
            client = RaftClient.newBuilder()
                    .setProperties(properties)
                    .setRaftGroup(group)
                    .setLeaderId(peer.getId())
                    .setRetryPolicy(retryPolicy())
                    .build();

            // Knowing when recovery is complete. Ratis applies committed entries on its own updater thread,
            // in log order, and after a restart it re-applies the log after the latest snapshot as soon as
            // it knows the entries are committed: possibly before, possibly well after it becomes leader. We
            // need a point after which every entry written by an earlier run has been replayed into
            // `recovered`, so that we can stop replaying into it: from then on the caller's controller replays
            // the batches it appends itself, and replaying them here too would apply them twice.
            //
            // That point is an empty batch sent through the client once the member is leader: it gets a log
            // index after every earlier entry, and Ratis answers a write only after its entry has been applied,
            // which happens strictly after every earlier entry has been applied. We do not even rely on the
            // reply's timing: we wait until the state machine's applied index reaches the barrier's index, under
            // the state machine's monitor, which also publishes the replayed state to this thread. Then the
            // sink is switched off. (An empty batch replays as nothing, so the barrier entries left in the log
            // are harmless.)
            //
            // With several members (the multi-node issue) followers must keep replaying every entry, since
            // they do not append themselves: entries will then be tagged with the proposer's id, and a state
            // machine replays all entries except those its own controller proposed and already applied.
            RaftClientReply barrier = sendBarrier(client, dir);
            stateMachine.awaitApplied(barrier.getLogIndex(), TimeUnit.MILLISECONDS.toNanos(RECOVERY_TIMEOUT_MS));
            RuntimeException failure = stateMachine.finishRecovery();
            if (failure != null) {
                throw new IOException("cannot recover the record log in " + dir + ": " + failure.getMessage(), failure);
            }
            CloudState recovered = stateMachine.recovered();
            if (recovered == null) {
                throw new IOException("the record log in " + dir + " was not initialised by Ratis");
            }
            // A purge still pending when the previous run stopped (Ratis runs it asynchronously after taking a
            // snapshot, and drops it on close): finish it, or every start would read the whole old log again.
            long snapshotIndex = stateMachine.latestSnapshotIndex();
            if (snapshotIndex >= server.getDivision(GROUP_ID).getRaftLog().getStartIndex()) {
                purgeUpTo(server, snapshotIndex);
            }
            LOG.info("Record log {} open ({}): snapshot at index {}, then {} batches replayed, last index {}, in {} ms",
                    dir, option == RaftStorage.StartupOption.FORMAT ? "new" : "recovered",
                    stateMachine.loadedSnapshotIndex(), stateMachine.replayedBatches(), stateMachine.lastAppliedIndex(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return new RatisLog(dir, server, client, stateMachine, options, recovered);
        } catch (IOException | RuntimeException e) {
            closeQuietly(client, server);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(client, server);
            throw new InterruptedIOException("interrupted while opening the record log in " + dir);
        } catch (TimeoutException e) {
            closeQuietly(client, server);
            throw new IOException("the record log in " + dir + " was not replayed within "
                    + RECOVERY_TIMEOUT_MS / 1000 + " s: " + e.getMessage(), e);
        }
    }

    /**
     * Appends one batch (the {@link Journal} contract): returns once the batch is committed and durable.
     *
     * @throws LogUnavailableException if that cannot be confirmed within 10 s, or if the log is closed, or if
     *         an earlier append could not be confirmed (the log then refuses every later append, since the
     *         caller's state may lack a batch that the log holds). Never blocks longer than about 10 s.
     * @throws IllegalArgumentException if the encoded batch exceeds {@link #MAX_BATCH_BYTES}: split it
     */
    @Override
    public void append(List<Record> batch) {
        Objects.requireNonNull(batch, "batch");
        checkUsable();
        byte[] bytes = Json.encodeBatch(batch);
        if (bytes.length > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("a batch of " + batch.size() + " records encodes to " + bytes.length
                    + " bytes, more than the log's limit of " + MAX_BATCH_BYTES + ": split it");
        }
        CompletableFuture<RaftClientReply> pending;
        try {
            pending = client.async().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes)));
        } catch (RuntimeException e) {
            throw unconfirmed("the record log did not take the batch: " + e, e);
        }
        try {
            RaftClientReply reply = pending.get(APPEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (!reply.isSuccess()) {
                throw unconfirmed("the record log refused the batch: " + reply.getException(), reply.getException());
            }
        } catch (TimeoutException e) {
            // Not cancelled: the request may still commit, and Ratis's client chains its ordered sends.
            throw unconfirmed("the record log did not confirm the batch within " + APPEND_TIMEOUT_MS / 1000 + " s", e);
        } catch (ExecutionException e) {
            throw unconfirmed("the record log could not commit the batch: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unconfirmed("interrupted while waiting for the record log to commit the batch", e);
        }
    }

    /**
     * The state rebuilt by {@link #open}: the caller owns it from now on (the log never touches it again).
     *
     * @throws IllegalStateException if it was already taken
     */
    public CloudState recoveredState() {
        synchronized (lifecycle) {
            CloudState s = recovered;
            if (s == null) {
                throw new IllegalStateException("the recovered state was already taken");
            }
            recovered = null;
            return s;
        }
    }

    public Options options() {
        return options;
    }

    /** The index of the latest snapshot (the log holds only the entries after it, or a few more), -1 if none. */
    public long lastSnapshotIndex() {
        return stateMachine.latestSnapshotIndex();
    }

    /** Whether {@link Options#snapshotEvery} entries were applied since the latest snapshot (or since empty). */
    public boolean snapshotDue() {
        return lastAppliedIndex() - Math.max(0, lastSnapshotIndex()) >= options.snapshotEvery();
    }

    /**
     * Saves a snapshot of the state at log index {@code index}, then has Ratis take it: Ratis keeps the
     * {@link Options#snapshotsRetained} latest snapshot files and purges the closed log segments up to
     * {@code index}. The next {@link #open} restores this snapshot and replays only the entries after it.
     *
     * <p><b>Consistency is the caller's duty:</b> {@code state} must be exactly the state after every entry up to
     * and including {@code index}. The owner of the live state gets that by reading {@link #lastAppliedIndex()}
     * and taking {@link org.phare.core.state.CloudState#snapshot()} together on the thread that is the only
     * appender: every batch it appended has then been applied (an append returns after Ratis applied its entry,
     * and the caller replays it into the state right after), and nothing else appends state-changing entries.
     * Serialising and writing happen here, off that thread.
     *
     * @throws LogUnavailableException if the log is closed or broken (an append could not be confirmed, so the
     *         caller's state may lack a committed batch: such a state must never become a snapshot)
     * @throws IllegalArgumentException if {@code index} is beyond the last applied entry
     * @throws IOException if the file cannot be written or Ratis does not take the snapshot within 30 s
     * @return false if a snapshot at {@code index} or later already exists (nothing done)
     */
    public boolean saveSnapshot(long index, StateSnapshot state) throws IOException {
        Objects.requireNonNull(state, "state");
        synchronized (snapshotLock) {
            checkUsable();
            long applied = lastAppliedIndex();
            if (index > applied) {
                throw new IllegalArgumentException("cannot snapshot at index " + index + ": the last applied entry is "
                        + applied);
            }
            if (index <= lastSnapshotIndex()) {
                return false;
            }
            long started = System.nanoTime();
            TermIndex at = server.getDivision(GROUP_ID).getRaftLog().getTermIndex(index);
            if (at == null) {
                throw new IOException("the record log in " + dataDir + " has no entry at index " + index);
            }
            byte[] bytes = new SnapshotFile(SnapshotFile.FORMAT, at.getTerm(), at.getIndex(), state).encode();
            stateMachine.saveSnapshot(at, bytes);
            checkUsable();
            // Creation gap 1: Ratis skips the request only when nothing was applied since its latest snapshot,
            // which is still the previous one here (the new file is published by RecordStateMachine.takeSnapshot).
            RaftClientReply reply = client.getSnapshotManagementApi().create(1, SNAPSHOT_TIMEOUT_MS);
            if (!reply.isSuccess()) {
                throw new IOException("Ratis did not take the snapshot at index " + index + ": " + reply.getException(),
                        reply.getException());
            }
            if (reply.getLogIndex() < index) {
                throw new IOException("Ratis took a snapshot at index " + reply.getLogIndex() + ", not at " + index);
            }
            purgeUpTo(server, index);
            LOG.info("Snapshot at index {} saved ({} bytes, {} hosts, {} instances) and the closed log segments up to"
                    + " it purged, in {} ms",
                    index, bytes.length, state.hosts().size(), state.instances().size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return true;
        }
    }

    /**
     * The log index of the last entry applied by Ratis. Log indexes are not batch counts: Ratis interleaves its
     * own entries (configuration, a no-op per leader term) and each {@link #open} appends one empty batch.
     */
    public long lastAppliedIndex() {
        return stateMachine.lastAppliedIndex();
    }

    /** Stops the client and the Ratis server gracefully; every acknowledged batch is already on disk. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeQuietly(client, server);
        LOG.info("Record log {} closed at index {}", dataDir, stateMachine.lastAppliedIndex());
    }

    private void checkUsable() {
        synchronized (lifecycle) {
            if (closed) {
                throw new LogUnavailableException("the record log in " + dataDir + " is closed");
            }
            if (broken != null) {
                throw new LogUnavailableException("the record log in " + dataDir + " refuses appends since an"
                        + " earlier append could not be confirmed (" + broken.getMessage() + "); reopen it to"
                        + " rebuild the state from the log", broken);
            }
        }
    }

    private LogUnavailableException unconfirmed(String message, Throwable cause) {
        LogUnavailableException e = new LogUnavailableException(message, cause);
        synchronized (lifecycle) {
            if (closed) {
                return new LogUnavailableException("the record log in " + dataDir + " was closed during an append", cause);
            }
            if (broken == null) {
                broken = e;
            }
        }
        return e;
    }

    // ---------------------------------------------------------------------------------------------------

    private static RaftStorage.StartupOption startupOption(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            Files.createDirectories(dir);
            return RaftStorage.StartupOption.FORMAT;
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("the record log's directory " + dir + " is not a directory");
        }
        if (Files.isDirectory(dir.resolve(GROUP_ID.getUuid().toString()))) {
            return RaftStorage.StartupOption.RECOVER;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                return RaftStorage.StartupOption.FORMAT;
            }
        }
        throw new IOException("the record log's directory " + dir + " is not empty and holds no Phare record log"
                + " (no " + GROUP_ID.getUuid() + "/ inside): refusing to create one there");
    }

    private static RaftProperties properties(Path dir, int port, Options options) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setHost(p, LOOPBACK);
        GrpcConfigKeys.Server.setPort(p, port);
        // Never the default shared temporary path.
        RaftServerConfigKeys.setStorageDir(p, List.of(dir.toFile()));
        // Durability: commit only after FileChannel.force (these are the defaults; stated so they stay).
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, false);
        RaftServerConfigKeys.Log.setAsyncFlushEnabled(p, false);
        // Snapshots are written by the owner of the state (saveSnapshot) and taken on request only: never
        // automatically, nor on stop (the state machine does not hold the live state).
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, false);
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, false);
        RaftServerConfigKeys.Snapshot.setTriggerWhenRemoveEnabled(p, false);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, options.snapshotsRetained());
        // Once a snapshot is taken, purge the closed segments up to it (one member: no follower needs them), on
        // every snapshot however close to the previous one.
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, 1);
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(options.segmentSizeBytes()));
        return p;
    }

    /**
     * Bounded: the default policy retries forever without sleeping, so a write would block forever without a
     * leader. 100 attempts 100 ms apart: about 10 s when the server refuses connections, longer while it is
     * busy replaying (each attempt then waits the 3 s request timeout, and a retry finds the pending request in
     * Ratis's retry cache). {@link #append} bounds its own wait regardless.
     */
    private static RetryPolicy retryPolicy() {
        return RetryPolicies.retryUpToMaximumCountWithFixedSleep(100, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS));
    }

    private static void awaitLeaderReady(RaftServer server, Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEADER_TIMEOUT_MS);
        while (!server.getDivision(GROUP_ID).getInfo().isLeaderReady()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("the record log in " + dir + " elected no ready leader within "
                        + LEADER_TIMEOUT_MS / 1000 + " s");
            }
            Thread.sleep(10);
        }
    }

    private static RaftClientReply sendBarrier(RaftClient client, Path dir)
            throws IOException, InterruptedException {
        CompletableFuture<RaftClientReply> pending =
                client.async().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(Json.encodeBatch(List.of()))));
        try {
            RaftClientReply reply = pending.get(RECOVERY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (!reply.isSuccess()) {
                throw new IOException("the record log in " + dir + " refused its recovery barrier: "
                        + reply.getException(), reply.getException());
            }
            return reply;
        } catch (ExecutionException e) {
            throw new IOException("the record log in " + dir + " could not commit its recovery barrier: "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the record log in " + dir + " did not commit its recovery barrier within "
                    + RECOVERY_TIMEOUT_MS / 1000 + " s", e);
        }
    }

    /**
     * Purges the closed log segments up to {@code index} and waits for the files to be deleted. Ratis already
     * requested this purge when it took the snapshot, but it runs asynchronously; best effort (a failure is logged
     * and the next open tries again).
     */
    private static void purgeUpTo(RaftServer server, long index) {
        try {
            server.getDivision(GROUP_ID).getRaftLog().purge(index).get(SNAPSHOT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("Purging the record log up to index {} failed (retried at the next open): {}", index, e.toString());
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
            return socket.getLocalPort();
        }
    }

    private static void closeQuietly(RaftClient client, RaftServer server) {
        if (client != null) {
            try {
                client.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Closing the record log's client failed: {}", e.toString());
            }
        }
        if (server != null) {
            try {
                server.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Closing the record log's Ratis server failed: {}", e.toString());
            }
        }
    }
}
