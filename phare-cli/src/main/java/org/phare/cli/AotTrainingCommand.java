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
 * again from that snapshot and its log. Then a group of three members does the same, loses its leader and takes it
 * back: elections and replication run over gRPC, which one member alone never uses.
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
            int placed = group(dir.resolve("group"));
            spec.commandLine().getOut().printf("aot-training: a group of %d members elected a leader, placed %d instances,"
                    + " lost its leader, elected another and took the old one back%n", GROUP, placed);
            return 0;
        } finally {
            DemoCommand.wipe(dir);
        }
    }

    /** The members of the training's group. */
    private static final int GROUP = 3;

    /**
     * A group of members in this JVM, as a real cloud runs them: what one member alone never does (elections, the
     * replication and the members' gRPC clients: some 700 classes a restarted member otherwise reads from the jar and
     * verifies) is in the cache too. The leader is closed and started again once instances are placed, so that an
     * election with a member away and a member's return are trained as well. Returns the instances placed.
     */
    private int group(Path dir) throws Exception {
        List<RatisLog.Peer> peers = new ArrayList<>();
        List<Integer> httpPorts = new ArrayList<>();
        for (int i = 0; i < GROUP; i++) {
            peers.add(new RatisLog.Peer("train-" + (char) ('a' + i), "127.0.0.1:" + RatisLog.freeLoopbackPort()));
            httpPorts.add(RatisLog.freeLoopbackPort());
        }
        List<PhareServer.Options> options = new ArrayList<>();
        List<PhareServer> members = new ArrayList<>();
        try {
            for (int i = 0; i < GROUP; i++) {
                options.add(new PhareServer.Options(dir.resolve(peers.get(i).id()), "127.0.0.1", httpPorts.get(i), peers.get(i),
                        peers, false, true, "eu-west-2" + (char) ('a' + i), Topology.defaults(),
                        PlacementConfig.AdmissionPolicy.HOST_PER_ZONE, RatisLog.Options.defaults().withSnapshotEvery(10),
                        dir.resolve("secrets.key")));
                members.add(PhareServer.start(options.get(i)));
            }
            String urls = String.join(",", httpPorts.stream().map(p -> "http://127.0.0.1:" + p).toList());
            ApiClient api = new ApiClient(urls, DemoCommand.operatorKey(options.stream().map(PhareServer.Options::dataDir).toList()));
            int placed = 0;
            try (StandInHosts hosts = new StandInHosts(api, "train-group", 6, new Resources(1024, 4096L * 1024))) {
                for (int n = 0; n < Math.min(instances, GROUP_INSTANCES); n++) {
                    LoadCommand.createOne(api, "train-group-" + n);
                    placed++;
                }
                int leader = leader(members);
                members.remove(leader).close(); // out of the list: closed once, even if it fails to start again
                LoadCommand.createOne(api, "train-group-leader-lost"); // answered once another member leads
                placed++;
                members.add(leader, PhareServer.start(options.get(leader)));
                ApiClient back = api.at("http://127.0.0.1:" + httpPorts.get(leader));
                back.get("/v1/instances?limit=1"); // as fresh as every write seen: the member caught up
            }
            return placed;
        } finally {
            for (PhareServer m : members) {
                m.close();
            }
        }
    }

    /** Instances the group places before its leader is lost, at most (no more than {@code --instances}). */
    private static final int GROUP_INSTANCES = 300;

    /** The member that leads now (each has seen the election by the time an instance was placed). */
    private static int leader(List<PhareServer> members) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).log().isLeader()) {
                return i;
            }
        }
        throw new IllegalStateException("no member of the training's group leads");
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
