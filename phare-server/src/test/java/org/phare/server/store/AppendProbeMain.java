package org.phare.server.store;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.phare.core.state.CloudState;

/**
 * A child JVM for {@link RatisLogKillTest}: opens the log in {@code args[0]} and appends
 * {@link TestBatches#batch} 1, 2, 3… printing {@code acked N} on stdout after each append returns, until it is
 * killed. It stops by itself after 20,000 batches or 120 s, so a forgotten probe never runs for long.
 */
public final class AppendProbeMain {
    private AppendProbeMain() {}

    public static void main(String[] args) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (RatisLog log = RatisLog.open(Path.of(args[0]), "probe", 0, new CloudState())) {
            System.out.println("open");
            System.out.flush();
            for (int n = 1; n <= 20_000 && System.nanoTime() - deadline < 0; n++) {
                log.append(TestBatches.batch(n));
                System.out.println("acked " + n);
                System.out.flush();
            }
        }
        System.out.println("done");
    }
}
