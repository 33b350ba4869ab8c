package org.phare.cli.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Benchmark (not a test): the history check over many seeds, each on a new three-member cloud. Exit code 1 if
 * any run found a violation. Run with {@code scripts/bench-history.sh [RUNS] [SECONDS]}.
 */
public final class HistoryBench {
    private HistoryBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int creates = 0;
        int deletes = 0;
        int kills = 0;
        int violations = 0;
        for (int seed = 1; seed <= runs; seed++) {
            Path dir = Files.createTempDirectory("phare-bench-history");
            HistoryCheck.Result r;
            try (LocalCloud cloud = new LocalCloud(dir, "none")) {
                cloud.startCluster(3);
                r = HistoryCheck.run(cloud, seed, Duration.ofSeconds(seconds), 4);
            }
            System.out.println(r);
            creates += r.creates();
            deletes += r.deletes();
            kills += r.kills();
            violations += r.violations().size();
        }
        System.out.printf("%d runs of %d s: %d leader kills, %d acknowledged creations, %d acknowledged deletions,"
                + " %d violations (acknowledged writes lost or duplicated)%n", runs, seconds, kills, creates, deletes, violations);
        System.exit(violations == 0 ? 0 : 1);
    }
}
