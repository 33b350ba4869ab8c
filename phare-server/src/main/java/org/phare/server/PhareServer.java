package org.phare.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.phare.core.control.Controller;
import org.phare.core.control.ControllerConfig;
import org.phare.core.control.Command;
import org.phare.core.control.Result;
import org.phare.core.model.RegionId;
import org.phare.core.placement.PlacementConfig;
import org.phare.core.state.CloudState;
import org.phare.core.state.StateSnapshot;
import org.phare.server.http.ApiServer;
import org.phare.server.runtime.ControlLoop;
import org.phare.server.runtime.SystemClock;
import org.phare.server.store.RatisLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control-plane node: the durable log (a one-member Ratis group), the controller on its event loop, and the
 * HTTP APIs. Start order: open the log (which rebuilds the state from the latest snapshot plus the log after it),
 * create the controller with a new incarnation and a fresh grace for every host, apply the default topology to an
 * empty cloud, then serve. Every {@link #SNAPSHOT_CHECK_MS} a snapshot is taken if enough entries were applied
 * since the last one, which lets the log be purged.
 */
public final class PhareServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PhareServer.class);

    /** How often the snapshot check runs. */
    static final long SNAPSHOT_CHECK_MS = 5_000;
    /** How long {@link #close} waits for a snapshot being written. */
    private static final long SNAPSHOT_CLOSE_WAIT_MS = 10_000;

    private final RatisLog log;
    private final ControlLoop loop;
    private final ApiServer api;
    private final ScheduledExecutorService snapshots;

    private PhareServer(RatisLog log, ControlLoop loop, ApiServer api, ScheduledExecutorService snapshots) {
        this.log = log;
        this.loop = loop;
        this.api = api;
        this.snapshots = snapshots;
    }

    /** The state at one log index, captured on the control loop. */
    private record Capture(long index, StateSnapshot state) {}

    /**
     * Takes a snapshot if {@link RatisLog.Options#snapshotEvery} entries were applied since the last one. The
     * index and the state are captured together on the control loop, the only thread that appends: every batch
     * it appended is then both applied in Ratis and replayed into the state, and no other batch exists. Only the
     * copy of the primary data runs on the loop; serialising and writing run here.
     */
    private static void snapshotIfDue(RatisLog log, ControlLoop loop) {
        try {
            if (!log.snapshotDue()) {
                return;
            }
            Capture c = loop.call(ctl -> new Capture(log.lastAppliedIndex(), ctl.state().snapshot()));
            log.saveSnapshot(c.index(), c.state());
        } catch (ControlLoop.Busy e) {
            LOG.info("snapshot postponed: {}", e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("snapshot failed (the log keeps growing until one succeeds): {}", e.toString());
        }
    }

    /**
     * @param raftPort 0 picks a free loopback port
     */
    public static PhareServer start(Path dataDir, String host, int port, int raftPort, Topology topology) throws IOException {
        return start(dataDir, host, port, raftPort, topology, PlacementConfig.AdmissionPolicy.HOST_PER_ZONE);
    }

    /** @param admission which failure the failover reserve must absorb */
    public static PhareServer start(Path dataDir, String host, int port, int raftPort, Topology topology,
                                    PlacementConfig.AdmissionPolicy admission) throws IOException {
        Files.createDirectories(dataDir);
        long incarnation = nextIncarnation(dataDir);
        long started = System.nanoTime();
        RatisLog log = RatisLog.open(dataDir.resolve("log"), "phare-1", raftPort);
        CloudState state = log.recoveredState();
        LOG.info("state rebuilt from the snapshot and the log in {} ms: {} hosts, {} instances (incarnation {})",
                (System.nanoTime() - started) / 1_000_000, state.hosts().size(), state.instances().size(), incarnation);
        ControllerConfig config = ControllerConfig.defaults(new RegionId(topology.region()));
        config = config.withPlacement(config.placement().withAdmission(admission));
        Controller controller = new Controller(config, state, log, new SystemClock(), incarnation);
        ControlLoop loop = new ControlLoop(controller);
        try {
            if (state.regions().isEmpty()) {
                for (Command c : topology.commands()) {
                    Result r = loop.call(ctl -> ctl.submit(c));
                    if (!r.isOk()) {
                        throw new IllegalArgumentException("the topology is invalid: " + r);
                    }
                }
                LOG.info("new cloud: region {} with {} zones", topology.region(), topology.zones().size());
            }
            loop.start();
            ApiServer api = new ApiServer(loop, host, port).start();
            LOG.info("serving on http://{}:{}", host, api.port());
            ScheduledExecutorService snapshots = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "phare-snapshots");
                t.setDaemon(true);
                return t;
            });
            snapshots.scheduleWithFixedDelay(() -> snapshotIfDue(log, loop), SNAPSHOT_CHECK_MS, SNAPSHOT_CHECK_MS,
                    TimeUnit.MILLISECONDS);
            return new PhareServer(log, loop, api, snapshots);
        } catch (RuntimeException e) {
            loop.close();
            log.close();
            throw e;
        }
    }

    /** Grows on every start, durably, so that agents can order the replies of successive controllers. */
    private static long nextIncarnation(Path dataDir) throws IOException {
        Path file = dataDir.resolve("incarnation");
        long previous = 0;
        if (Files.exists(file)) {
            previous = Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim());
        }
        long next = previous + 1;
        Path tmp = dataDir.resolve("incarnation.tmp");
        Files.writeString(tmp, Long.toString(next), StandardCharsets.UTF_8);
        try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return next;
    }

    public int port() {
        return api.port();
    }

    @Override
    public void close() {
        snapshots.shutdownNow();
        try {
            if (!snapshots.awaitTermination(SNAPSHOT_CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("a snapshot still running at close; it will fail harmlessly when the log closes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        api.close();
        loop.close();
        log.close();
    }
}
