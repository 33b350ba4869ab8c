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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
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
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.phare.core.record.ClusterRecord;
import org.phare.core.record.Record;
import org.phare.core.record.RecordTypes;
import org.phare.core.state.CloudState;
import org.phare.server.Release;
import org.phare.server.UnreadableLogFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ratis's view of the record log, on every member: each committed state-machine entry is a {@link LogEntry}.
 *
 * <p><b>Replay.</b> Every committed batch is handed, in log order and with its origin, to the member's
 * {@link Replica}, which replays it into its state (the one replay path, {@link CloudState#replay}) — on the leader
 * too: its controller decides on a copy of that state, and answers its callers when their batch comes back here. A
 * batch that reached the log in another term than the one it was decided in is ignored by every member alike (see
 * {@link LogEntry.Batch}). Member announcements are kept here ({@link #members()}) and never touch the state.
 *
 * <p><b>Recovery and snapshots from the leader.</b> {@link #initialize} loads the latest snapshot file, if any,
 * and hands its state to the replica ({@link Replica#reset}); Ratis then applies the entries after it. When a
 * lagging member receives a snapshot from the leader, Ratis calls {@link #reinitialize()}, which loads it the
 * same way.
 *
 * <p><b>Snapshots.</b> The live state is not here (the replica owns it): its owner writes one through
 * {@link #saveSnapshot} (a file in Ratis's {@link SimpleStateMachineStorage} layout, {@code sm/snapshot.<term>_<index>}
 * plus its {@code .md5}), then asks Ratis to take a snapshot; Ratis calls {@link #takeSnapshot()}, which
 * publishes the saved file as the latest snapshot and returns its index, and Ratis then deletes old snapshot
 * files (retention) and purges the log up to that index.
 *
 * <p>Threading: Ratis calls {@link #applyTransaction}, {@link #notifyTermIndexUpdated}, {@link #takeSnapshot}
 * and {@link #reinitialize} on its single state-machine updater thread, in log order. The failure is guarded by this
 * object's monitor; the replica is called outside it.
 */
final class RecordStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(RecordStateMachine.class);
    static final String TMP_SUFFIX = ".tmp";
    static final Message APPLIED = Message.valueOf("applied");
    static final Message STALE = Message.valueOf("stale");
    static final Message FAILED = Message.valueOf("failed");

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final Replica replica;
    private final Map<String, MemberInfo> members = new ConcurrentHashMap<>();
    /** The last snapshot file written by {@link #saveSnapshot}, not yet taken by Ratis perhaps. */
    private volatile SingleFileSnapshotInfo saved;

    /** The first entry that could not be decoded or replayed: nothing is replayed after it. Guarded by this. */
    private RuntimeException failure;

    RecordStateMachine(Replica replica) {
        this.replica = replica;
    }

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
        load(latest);
        // Ratis checks this life cycle when it pauses the machine to install a snapshot from the leader.
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /**
     * Ratis pauses the state machine before it installs a snapshot received from the leader: once per request,
     * so once per chunk, and again when the leader starts over after a failed transfer.
     */
    @Override
    public void pause() {
        if (getLifeCycle().compareAndTransition(LifeCycle.State.RUNNING, LifeCycle.State.PAUSING)) {
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /** A snapshot installed from the leader (a member that lagged behind the purged log, or a new member). */
    @Override
    public void reinitialize() throws IOException {
        SingleFileSnapshotInfo latest = storage.loadLatestSnapshot();
        LOG.info("Snapshot {} received from the leader: the replica restarts from it",
                latest == null ? "(none)" : latest.getFile().getPath());
        load(latest);
        if (getLifeCycle().compareAndTransition(LifeCycle.State.PAUSED, LifeCycle.State.STARTING)) {
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    /** Linearizable reads confirm the leadership (ReadIndex); there is nothing to read here. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    private void load(SingleFileSnapshotInfo latest) throws IOException {
        SnapshotFile.Loaded loaded = latest == null ? null
                : SnapshotFile.read(latest.getFile().getPath(), latest.getFile().getFileDigest(), latest.getTerm(),
                        latest.getIndex());
        if (loaded != null && loaded.state().logFormat() > Release.maxLogFormat()) {
            String why = "the snapshot " + latest.getFile().getPath() + " is of a log at format " + loaded.state().logFormat()
                    + " and this member reads formats up to " + Release.maxLogFormat() + " (release " + Release.version()
                    + "): run a release that reads log format " + loaded.state().logFormat() + " on this member";
            throw new IOException(why, new UnreadableLogFormatException(why));
        }
        synchronized (this) {
            failure = null; // the replica restarts from a whole state
            if (loaded != null) {
                setLastAppliedTermIndex(latest.getTermIndex());
                members.clear();
                loaded.members().forEach(m -> members.put(m.id(), m));
                LOG.info("Snapshot {} loaded: {} hosts, {} instances", latest.getFile().getPath(),
                        loaded.state().hosts().size(), loaded.state().instances().size());
            }
        }
        replica.reset(loaded == null ? new CloudState() : loaded.state(), latest == null ? 0 : latest.getIndex());
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
        Message answer = APPLIED;
        LogEntry.Batch replay = null;
        synchronized (this) {
            if (failure != null) {
                answer = FAILED;
            } else {
                try {
                    switch (LogEntry.decode(entry.getStateMachineLogEntry().getLogData().toByteArray())) {
                        case LogEntry.Member m -> members.put(m.info().id(), m.info());
                        case LogEntry.Batch b when !b.decidedIn(entry.getTerm()) -> answer = STALE;
                        case LogEntry.Batch b -> {
                            requireReadable(b.records());
                            replay = b;
                        }
                    }
                } catch (RuntimeException e) {
                    failure = new IllegalStateException("log entry " + entry.getIndex() + " cannot be decoded: "
                            + e.getMessage(), e);
                    LOG.error("The replica stops here: {}", failure.getMessage());
                }
            }
        }
        if (replay != null) {
            try {
                replica.apply(entry.getIndex(), new Replica.Origin(replay.term(), replay.session(), replay.node(), replay.seq()),
                        replay.records());
            } catch (RuntimeException e) {
                synchronized (this) {
                    failure = new IllegalStateException("log entry " + entry.getIndex() + " cannot be replayed: "
                            + e.getMessage(), e);
                }
                LOG.error("The replica stops here: {}", e.toString());
            }
        }
        synchronized (this) {
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            notifyAll();
        }
        return CompletableFuture.completedFuture(answer);
    }

    /**
     * A record of a log format this member does not read stops it, as an unknown type would: replaying it anyway could
     * give a state the other members do not have.
     */
    private static void requireReadable(List<Record> records) {
        int max = Release.maxLogFormat();
        int format = 1;
        for (Record r : records) {
            format = Math.max(format, RecordTypes.since(r));
            if (r instanceof ClusterRecord.LogFormatRaised raised) {
                format = Math.max(format, raised.format());
            }
        }
        if (format > max) {
            throw new UnreadableLogFormatException("the cloud's log is at format " + format + " and this member reads formats up to "
                    + max + " (release " + Release.version() + "): run a release that reads log format "
                    + format + " on this member");
        }
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

    /** The entry that stopped the replay, or null while the replica is whole. */
    synchronized RuntimeException failure() {
        return failure;
    }

    /** The members as announced through the log. */
    Map<String, MemberInfo> members() {
        return Map.copyOf(members);
    }
}
