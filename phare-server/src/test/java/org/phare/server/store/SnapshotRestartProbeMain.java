package org.phare.server.store;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.phare.core.state.CloudState;

/**
 * A measurement, not a test: the time {@link RatisLog#open} takes to rebuild a state of 10,000 instances on 100
 * hosts, from the whole log and then from a snapshot. {@code args[0]}: an empty directory.
 */
public final class SnapshotRestartProbeMain {
    private SnapshotRestartProbeMain() {}

    private static final int HOSTS = 100;
    private static final int INSTANCES = 10_000;

    /**
     * {@code DIR} builds the log, reopens it 3 times, snapshots it, reopens it 3 times, all in this JVM;
     * {@code DIR build} only builds the log; {@code DIR open} only reopens it (a cold JVM, as a restarted server); {@code DIR snapshot} reopens it and
     * saves a snapshot.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        if (args.length > 1 && args[1].equals("open")) {
            reopen("cold JVM", dir);
            return;
        }
        if (args.length > 1 && args[1].equals("snapshot")) {
            snapshot(dir);
            return;
        }
        long t0 = System.nanoTime();
        try (SingleLog log = SingleLog.open(dir, "probe", 0)) {
            CloudState live = log.recoveredState();
            log.append(InstanceBatches.topology(HOSTS));
            for (int n = 1; n <= INSTANCES; n++) {
                log.append(InstanceBatches.instance(n, HOSTS));
            }
            System.out.printf("appended %d batches in %d ms, last index %d%n", INSTANCES + 1,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), log.lastAppliedIndex());
        }
        if (args.length > 1 && args[1].equals("build")) {
            return;
        }
        for (int i = 0; i < 3; i++) {
            reopen("without snapshot", dir);
        }
        snapshot(dir);
        for (int i = 0; i < 3; i++) {
            reopen("with snapshot", dir);
        }
    }

    private static void snapshot(Path dir) throws Exception {
        try (SingleLog log = SingleLog.open(dir, "probe", 0)) {
            CloudState state = log.recoveredState();
            long t = System.nanoTime();
            log.saveSnapshot(log.lastAppliedIndex(), state.snapshot());
            System.out.printf("snapshot of %d instances saved in %d ms%n", state.instances().size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t));
        }
    }

    private static void reopen(String what, Path dir) throws Exception {
        long t = System.nanoTime();
        try (SingleLog log = SingleLog.open(dir, "probe", 0)) {
            CloudState s = log.recoveredState();
            System.out.printf("open %s: %d ms (%d instances, snapshot index %d)%n", what,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t), s.instances().size(), log.lastSnapshotIndex());
        }
    }
}
