package org.phare.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.phare.core.model.Resources;
import org.phare.core.placement.PlacementConfig;
import org.phare.server.PhareServer;
import org.phare.server.Topology;
import org.phare.server.store.RatisLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The training run of the JVM's ahead-of-time cache (JDK 25+, JEP 483/514): the {@code phare} script runs it once per
 * build with {@code -XX:AOTCacheOutput}, then starts every Phare process with {@code -XX:AOTCache}. A member then
 * starts with its classes already loaded and linked: that is what a restart with a large state spends its CPU on
 * besides the snapshot and the JIT (three members starting at once share the machine). The script leaves this run's
 * method profiles out of the cache: those of a small cloud slowed a loaded leader down.
 *
 * <p>The run does, in this one JVM and on loopback, what a member's life does: a one-member cloud forms, stand-in
 * hosts register and beat, instances are created through the HTTP API, a snapshot is written, and the member starts
 * again from that snapshot and its log.
 */
@Command(name = "aot-training", hidden = true, mixinStandardHelpOptions = true,
        description = {"Runs a small local cloud in this JVM and stops: the training run of the JVM's ahead-of-time"
                + " cache, which the phare script makes once per build (JDK 25 or newer).",
            "Example: java -XX:AOTCacheOutput=phare.aot -jar phare.jar aot-training"})
final class AotTrainingCommand implements Callable<Integer> {

    @Option(names = "--instances", defaultValue = "1500", description = "Instances created (default: ${DEFAULT-VALUE}).")
    int instances;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (instances < 1 || instances > 100_000) {
            throw new IllegalArgumentException("--instances must be 1..100000, got " + instances);
        }
        Path dir = Files.createTempDirectory("phare-aot-training-");
        try {
            // Snapshots often, so that the second start reads one (every 10 entries, where the default waits 10,000).
            PhareServer.Options options = PhareServer.Options.single(dir.resolve("member"), "127.0.0.1", 0, 0,
                    Topology.defaults(), PlacementConfig.AdmissionPolicy.HOST_PER_ZONE)
                    .withLog(RatisLog.Options.defaults().withSnapshotEvery(10));
            String first;
            try (PhareServer server = PhareServer.start(options)) {
                ApiClient api = new ApiClient("http://127.0.0.1:" + server.port(), DemoCommand.operatorKey(List.of(options.dataDir())));
                try (StandInHosts hosts = new StandInHosts(api, "train", 6, new Resources(1024, 4096L * 1024))) {
                    first = LoadCommand.createOne(api, "train-first").path(0).path("id").asText();
                    create(api, hosts.ids().size());
                }
                server.snapshotIfDue();
                if (server.log().lastSnapshotIndex() <= 0) {
                    throw new IllegalStateException("the training run took no snapshot");
                }
            }
            long snapshot;
            String state;
            try (PhareServer again = PhareServer.start(options)) {
                ApiClient api = new ApiClient("http://127.0.0.1:" + again.port(), DemoCommand.operatorKey(List.of(options.dataDir())));
                state = api.get("/v1/instances/" + first).path("state").asText();
                if (state.isEmpty()) {
                    throw new IllegalStateException("the member started again without the instance " + first);
                }
                api.get("/v1/instances");
                LoadCommand.createOne(api, "train-after-restart");
                snapshot = again.log().lastSnapshotIndex();
            }
            spec.commandLine().getOut().printf("aot-training: %d instances created on 6 stand-in hosts; the member started"
                    + " again from its snapshot at log index %d and still had %s (%s)%n", instances + 1, snapshot, first, state);
            return 0;
        } finally {
            DemoCommand.wipe(dir);
        }
    }

    /** Creates the instances with a few clients at once, as a tenant's tools would. */
    private void create(ApiClient api, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int first = c;
                done.add(pool.submit(() -> {
                    for (int i = first; i < instances; i += clients) {
                        LoadCommand.createOne(api, "train-" + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
