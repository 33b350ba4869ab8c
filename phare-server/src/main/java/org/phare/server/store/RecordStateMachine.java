package org.phare.server.store;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;
import org.phare.api.Json;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ratis's view of the record log: each committed state-machine entry is one batch of records, encoded with
 * {@link Json#encodeBatch}.
 *
 * <p><b>Recovery.</b> When Ratis initialises it, the state machine loads the latest snapshot file, if any, into a
 * new {@code CloudState} ({@link CloudState#restore}) and reports the snapshot's index as applied, so that Ratis
 * replays only the entries after it. While the log is being recovered it decodes every committed batch and
 * replays it into that state (the one replay path, {@link CloudState#replay}). Once {@link #finishRecovery()}
 * has been called it stops touching that state and only tracks the applied index: from then on the controller
 * replays the batches it appends itself.
 *
 * <p><b>Snapshots.</b> The live state is not here (the controller owns it), so the state machine does not take
 * snapshots itself: the owner of the state writes one through {@link #saveSnapshot} (a file in Ratis's
 * {@link SimpleStateMachineStorage} layout, {@code sm/snapshot.<term>_<index>} plus its {@code .md5}), then
 * asks Ratis to take a snapshot; Ratis calls {@link #takeSnapshot()}, which publishes the saved file as the
 * latest snapshot and returns its index, and Ratis then deletes old snapshot files (retention) and purges the
 * log up to that index. Until then {@link #getLatestSnapshot()} still reports the previous one, so that Ratis's
 * "nothing new since the last snapshot" check does not skip the request.
 *
 * <p>Threading: Ratis calls {@link #applyTransaction}, {@link #notifyTermIndexUpdated} and {@link #takeSnapshot}
 * on its single state-machine updater thread, in log order. The sink, the failure and the applied index are
 * guarded by this object's monitor, which also gives the thread that calls {@link #finishRecovery()} a
 * happens-before edge with every replay done before it (including the snapshot load in {@link #initialize}).
 */
final class RecordStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(RecordStateMachine.class);
    static final String TMP_SUFFIX = ".tmp";

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    /** The last snapshot file written by {@link #saveSnapshot}, not yet taken by Ratis perhaps. */
    private volatile SingleFileSnapshotInfo saved;

    /** Where committed batches are replayed; null once recovery is over (or failed). Guarded by this. */
    private CloudState sink;
    /** The state being recovered: restored from the snapshot, then replayed into. Guarded by this. */
    private CloudState recovered;
    /** The index of the snapshot loaded on start, -1 if none. Guarded by this. */
    private long loadedSnapshotIndex = -1;
    /** The first batch that could not be decoded or replayed during recovery. Guarded by this. */
    private RuntimeException replayFailure;
    /** Non-empty batches replayed during recovery. Guarded by this. */
    private long replayedBatches;

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public void initialize(RaftServer raftServer, RaftGroupId raftGroupId, RaftStorage raftStorage) throws IOException {
        super.initialize(raftServer, raftGroupId, raftStorage);
        storage.init(raftStorage);
        deleteLeftovers(raftStorage.getStorageDir().getStateMachineDir().toPath());
        SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
        if (latest == null) {
            refuseUnreadableSnapshots(raftStorage.getStorageDir().getStateMachineDir().toPath());
        }
        synchronized (this) {
            if (latest == null) {
                recovered = new CloudState();
            } else {
                recovered = SnapshotFile.read(latest.getFile().getPath(), latest.getFile().getFileDigest(),
                        latest.getTerm(), latest.getIndex());
                loadedSnapshotIndex = latest.getIndex();
                setLastAppliedTermIndex(latest.getTermIndex());
                LOG.info("Snapshot {} loaded: {} hosts, {} instances", latest.getFile().getPath(),
                        recovered.hosts().size(), recovered.instances().size());
            }
            sink = recovered;
            notifyAll();
        }
    }

    /**
     * Ratis's storage reports no snapshot when it cannot read the latest one's {@code .md5} file: starting empty
     * would then silently drop what the purged log no longer holds.
     */
    private static void refuseUnreadableSnapshots(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (SimpleStateMachineStorage.SNAPSHOT_REGEX.matcher(f.getFileName().toString()).matches()) {
                    throw new IOException("the snapshot " + f + " exists but cannot be read (is its .md5 file valid?)");
                }
            }
        }
    }

    /** Temporary files of a snapshot whose writing was interrupted (they never match the snapshot name). */
    private static void deleteLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + TMP_SUFFIX)) {
            for (Path f : files) {
                LOG.info("Deleting the unfinished snapshot file {}", f);
                Files.deleteIfExists(f);
            }
        }
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        synchronized (this) {
            if (sink != null) {
                try {
                    List<Record> batch = Json.decodeBatch(entry.getStateMachineLogEntry().getLogData().toByteArray());
                    sink.replayAll(batch);
                    if (!batch.isEmpty()) {
                        replayedBatches++;
                    }
                } catch (RuntimeException e) {
                    // Stop replaying: every later batch would be applied to a state missing this one.
                    replayFailure = new IllegalStateException("log entry " + entry.getIndex()
                            + " cannot be replayed: " + e.getMessage(), e);
                    sink = null;
                }
            }
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            notifyAll();
        }
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    /** Metadata and configuration entries: no batch, but the applied index moves. */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        synchronized (this) {
            super.notifyTermIndexUpdated(term, index);
            notifyAll();
        }
    }

    /**
     * Called by Ratis (on a snapshot request): publishes the last file {@link #saveSnapshot saved} as the latest
     * snapshot and returns its index; Ratis then applies the retention policy and purges the log up to it.
     */
    @Override
    public long takeSnapshot() {
        SingleFileSnapshotInfo s = saved;
        if (s != null) {
            storage.updateLatestSnapshot(s);
        }
        SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
        return latest == null ? RaftLog.INVALID_LOG_INDEX : latest.getIndex();
    }

    /**
     * Writes a snapshot file durably: the {@code .md5} file, then the data in a temporary file, fsync'd and
     * atomically renamed to {@code snapshot.<term>_<index>}, then the directory fsync'd. A crash at any point
     * leaves either no snapshot file for that index or a complete one.
     */
    void saveSnapshot(TermIndex at, byte[] bytes) throws IOException {
        File target = storage.getSnapshotFile(at.getTerm(), at.getIndex());
        Path file = target.toPath();
        Path dir = file.getParent();
        Files.createDirectories(dir);
        MD5Hash md5 = MD5Hash.digest(bytes);
        MD5FileUtil.saveMD5File(target, md5);
        Path tmp = dir.resolve(file.getFileName() + TMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("fsync of directory {} not supported: {}", dir, e.toString());
        }
        saved = new SingleFileSnapshotInfo(new FileInfo(file, md5), at);
    }

    /** The index of the latest snapshot Ratis took (what the log may be purged up to), -1 if none. */
    long latestSnapshotIndex() {
        SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
        return latest == null ? RaftLog.INVALID_LOG_INDEX : latest.getIndex();
    }

    /** The index of the last entry applied (state-machine entries and Ratis's own entries alike). */
    long lastAppliedIndex() {
        return getLastAppliedTermIndex().getIndex();
    }

    /** Waits until the entry at {@code index} has been applied, at most {@code timeoutNanos}. */
    synchronized void awaitApplied(long index, long timeoutNanos) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (lastAppliedIndex() < index) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("log entry " + index + " not applied (last applied "
                        + lastAppliedIndex() + ")");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /**
     * Ends recovery: later entries are no longer replayed into the recovered state.
     *
     * @return the failure that stopped the replay, or null if every batch was replayed
     */
    synchronized RuntimeException finishRecovery() {
        sink = null;
        return replayFailure;
    }

    /** The recovered state (snapshot plus replayed entries); null if Ratis never initialised this machine. */
    synchronized CloudState recovered() {
        return recovered;
    }

    synchronized long loadedSnapshotIndex() {
        return loadedSnapshotIndex;
    }

    synchronized long replayedBatches() {
        return replayedBatches;
    }
}
