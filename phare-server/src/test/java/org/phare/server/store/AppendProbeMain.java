package org.phare.server.store;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/**
 * A child JVM for {@link RatisLogKillTest}: opens the log in {@code args[0]} and appends
 * {@link TestBatches#batch} 1, 2, 3… printing {@code acked N} on stdout after each append returns, until it is
 * killed. It stops by itself after 20,000 batches or 120 s, so a forgotten probe never runs for long.
 *
 * <p>With {@code args[1]} = N it also behaves as the server does with snapshots: it replays each acknowledged
 * batch into its own state and saves a snapshot whenever N log entries were applied since the last one (small
 * log segments, so that purges happen too), printing {@code snapshot INDEX} after each.
 */
public final class AppendProbeMain {
    private AppendProbeMain() {}

    public static void main(String[] args) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        RatisLog.Options options = RatisLog.Options.defaults();
        boolean snapshots = args.length > 1;
        if (snapshots) {
            options = options.withSnapshotEvery(Long.parseLong(args[1])).withSegmentSizeBytes(64 * 1024);
        }
        try (SingleLog log = SingleLog.open(Path.of(args[0]), "probe", 0, options)) {
            CloudState live = log.recoveredState();
            System.out.println("open");
            System.out.flush();
            for (int n = 1; n <= 20_000 && System.nanoTime() - deadline < 0; n++) {
                List<Record> batch = TestBatches.batch(n);
                log.append(batch);
                System.out.println("acked " + n);
                System.out.flush();
                if (snapshots) {
                    live.replayAll(batch);
                    if (log.snapshotDue()) {
                        long index = log.lastAppliedIndex();
                        log.saveSnapshot(index, live.snapshot());
                        System.out.println("snapshot " + index);
                        System.out.flush();
                    }
                }
            }
        }
        System.out.println("done");
    }
}
