package org.phare.server.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;
import org.phare.core.state.StateSnapshot;

/**
 * A one-member log driven the way a leader drives it, for the store's tests: start, wait for leadership, open a
 * session after a barrier; the test then owns the recovered state and replays what it appends, as a controller
 * does on its own copy (so this replica skips the session's own batches). The replica replays on Ratis's thread,
 * synchronously.
 */
final class SingleLog implements Replica, AutoCloseable {
    private final RatisLog log;
    private final Session session;
    private CloudState state;
    private boolean taken;

    private SingleLog(Path dir, String nodeId, int port, RatisLog.Options options) throws IOException {
        this.log = RatisLog.start(RatisLog.Config.single(dir, nodeId, port, options), this);
        try {
            if (!log.awaitLeader(30_000)) {
                throw new IOException("no leader within 30 s");
            }
            session = log.newSession();
            log.barrier(session);
            if (log.replicaFailure() != null) {
                throw new IOException("cannot recover: " + log.replicaFailure().getMessage(), log.replicaFailure());
            }
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        } catch (InterruptedException e) {
            log.close();
            throw new IOException(e);
        }
    }

    static SingleLog open(Path dir, String nodeId, int port) throws IOException {
        return open(dir, nodeId, port, RatisLog.Options.defaults());
    }

    static SingleLog open(Path dir, String nodeId, int port, RatisLog.Options options) throws IOException {
        return new SingleLog(dir, nodeId, port, options);
    }

    @Override
    public synchronized void reset(CloudState restored, long index) {
        state = restored;
    }

    @Override
    public synchronized void apply(long index, Origin origin, List<Record> batch) {
        if (session == null || !session.owns(origin)) {
            state.replayAll(batch);
        }
    }

    /** The recovered state: the caller owns it from now on and replays what it appends. */
    synchronized CloudState recoveredState() {
        if (taken) {
            throw new IllegalStateException("the recovered state was already taken");
        }
        taken = true;
        return state;
    }

    void append(List<Record> batch) {
        session.append(batch);
    }

    boolean snapshotDue() {
        return log.snapshotDue(lastAppliedIndex());
    }

    /** Every entry up to it is in the caller's state: batches it appended, or empty ones and Ratis's own. */
    long lastAppliedIndex() {
        return log.lastAppliedIndex();
    }

    long lastSnapshotIndex() {
        return log.lastSnapshotIndex();
    }

    long logStartIndex() {
        return log.logStartIndex();
    }

    boolean saveSnapshot(long index, StateSnapshot s) throws IOException {
        return log.saveSnapshot(index, s);
    }

    @Override
    public void close() {
        log.close();
    }
}
