package org.phare.server;

import org.phare.api.Credentials;
import org.phare.core.model.Account;
import org.phare.core.model.TenantId;
import org.phare.server.auth.KeyIssuer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.phare.core.control.Command;
import org.phare.core.control.Controller;
import org.phare.core.control.ControllerConfig;
import org.phare.core.control.Result;
import org.phare.core.model.RegionId;
import org.phare.core.placement.PlacementConfig;
import org.phare.core.state.StateSnapshot;
import org.phare.server.auth.SecretSealer;
import org.phare.server.http.ApiServer;
import org.phare.server.runtime.ControlLoop;
import org.phare.server.runtime.SystemClock;
import org.phare.server.store.MemberInfo;
import org.phare.server.store.RatisLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control-plane member: its replica of the record log (Apache Ratis), the control loop that owns its state,
 * the leadership loop that runs the controller while this member leads, and the HTTP APIs. Alone it is a whole
 * cloud (the embedded default); three or five of them, one per zone, survive the loss of a zone.
 *
 * <p>Start order: the control loop, then the log (which hands the loop the latest snapshot and the entries after
 * it), then the APIs, then the leadership loop. The first leader of an empty cloud defines its topology. Every
 * {@link #SNAPSHOT_CHECK_MS} a snapshot is taken if enough entries were replayed since the last one, which lets
 * the log be purged, or if the log was quiet since the previous check and holds a few entries after the latest
 * snapshot: a member restarted after a quiet spell then reads a snapshot and replays almost nothing.
 */
public final class PhareServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PhareServer.class);

    /** The account created with the first operator key. */
    public static final String OPERATOR = "operator";
    /** Where the first operator key is written, under the data directory. */
    public static final String CREDENTIALS_FILE = "operator.credentials";

    /** How long a starting member replays its own log before serving, at most, to check it reads the log's format. */
    static final long READABLE_WAIT_MS = 5_000;
    /** How often the snapshot check runs. */
    static final long SNAPSHOT_CHECK_MS = 5_000;
    /**
     * Entries after the latest snapshot that are snapshotted as soon as the log is quiet for a whole check. Replaying
     * 7,000 entries cost a member 1 to 3 s of a restart with three members starting at once on two vCPUs; a snapshot
     * of a quiet cloud costs one write of its state, once per quiet spell.
     */
    static final long QUIET_SNAPSHOT_ENTRIES = 100;
    /** How long {@link #close} waits for a snapshot being written. */
    private static final long SNAPSHOT_CLOSE_WAIT_MS = 10_000;
    /** How long a one-member server waits, on start, for its controller. */
    private static final long SINGLE_START_TIMEOUT_MS = 60_000;

    /**
     * What a member needs.
     *
     * @param dataDir   its own directory (the log lives in {@code <dataDir>/log})
     * @param host      HTTP listen address
     * @param port      HTTP port, 0 for any free one
     * @param self      this member's Raft id and address
     * @param peers     the group at formation (self included); a single member when alone
     * @param join      start outside any group and wait for {@code phare cluster add}
     * @param bootstrap with several peers: format an empty data directory (the group's first start)
     * @param zone      the zone this member runs in (shown by {@code phare cluster status}), or null
     * @param secretsKey the master key that seals access-key secrets (32 bytes; created if missing): the same file on
     *                  every member of a group; null: {@code <dataDir>/secrets.key}
     */
    public record Options(Path dataDir, String host, int port, RatisLog.Peer self, List<RatisLog.Peer> peers,
                          boolean join, boolean bootstrap, String zone, Topology topology, PlacementConfig.AdmissionPolicy admission,
                          RatisLog.Options log, Path secretsKey) {
        public Options {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(self, "self");
            peers = List.copyOf(peers);
            Objects.requireNonNull(topology, "topology");
            Objects.requireNonNull(admission, "admission");
            Objects.requireNonNull(log, "log");
        }

        /** One member alone, Raft on a loopback port (0: any free one): the embedded default. */
        public static Options single(Path dataDir, String host, int port, int raftPort, Topology topology,
                                     PlacementConfig.AdmissionPolicy admission) throws IOException {
            RatisLog.Config c = RatisLog.Config.single(dataDir.resolve("log"), "phare-1", raftPort, RatisLog.Options.defaults());
            return new Options(dataDir, host, port, c.self(), c.peers(), false, true, null, topology, admission, c.options(),
                    null);
        }

        public Options withSecretsKey(Path file) {
            return new Options(dataDir, host, port, self, peers, join, bootstrap, zone, topology, admission, log, file);
        }

        public Options withLog(RatisLog.Options options) {
            return new Options(dataDir, host, port, self, peers, join, bootstrap, zone, topology, admission, options, secretsKey);
        }

        boolean alone() {
            return !join && peers.size() == 1;
        }
    }

    private final RatisLog log;
    private final ControlLoop loop;
    private final ApiServer api;
    private final Leadership leadership;
    private final ScheduledExecutorService snapshots;
    /** The replayed index at the previous snapshot check: the log was quiet if it is still the same. */
    private final AtomicLong checkedIndex = new AtomicLong(-1);

    private PhareServer(RatisLog log, ControlLoop loop, ApiServer api, Leadership leadership,
                        ScheduledExecutorService snapshots) {
        this.log = log;
        this.loop = loop;
        this.api = api;
        this.leadership = leadership;
        this.snapshots = snapshots;
    }

    /** One member alone: {@link Options#single}. */
    public static PhareServer start(Path dataDir, String host, int port, int raftPort, Topology topology) throws IOException {
        return start(dataDir, host, port, raftPort, topology, PlacementConfig.AdmissionPolicy.HOST_PER_ZONE);
    }

    public static PhareServer start(Path dataDir, String host, int port, int raftPort, Topology topology,
                                    PlacementConfig.AdmissionPolicy admission) throws IOException {
        return start(Options.single(dataDir, host, port, raftPort, topology, admission));
    }

    /**
     * A drill's fault on this member, its leader: carried out on a thread of its own, a moment after the step is in the
     * log (so that the step's commit is answered first). Stop halts the process as a crash would; freeze stops it
     * (SIGSTOP) for the duration; step-down hands the leadership over.
     */
    private static void leaderFault(org.phare.core.drill.Fault.LeaderFault f, RatisLog log) {
        Thread.ofPlatform().name("phare-drill-leader-fault").daemon().start(() -> {
            try {
                Thread.sleep(200);
                switch (f.action()) {
                    case STOP -> {
                        LOG.warn("DRILL: this member, the leader, stops now as a crash would (exit code {})", DRILL_STOP_EXIT);
                        Runtime.getRuntime().halt(DRILL_STOP_EXIT);
                    }
                    case FREEZE -> {
                        LOG.warn("DRILL: this member, the leader, freezes for {} ms", f.forMs());
                        org.phare.api.SelfFreeze.freeze(f.forMs());
                        LOG.warn("DRILL: this member continues after its freeze");
                    }
                    case STEP_DOWN -> {
                        LOG.warn("DRILL: this member, the leader, steps down");
                        log.handOver();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                LOG.error("DRILL: could not carry out {} on the leader: {}", f, e.toString());
            }
        });
    }

    /** The exit code of a member a drill stopped. */
    public static final int DRILL_STOP_EXIT = 75;

    public static PhareServer start(Options o) throws IOException {
        Files.createDirectories(o.dataDir());
        ControllerConfig base = ControllerConfig.defaults(new RegionId(o.topology().region()));
        ControllerConfig config = base.withPlacement(base.placement().withAdmission(o.admission()))
                .withDrillSettle(java.time.Duration.ofMillis(Long.getLong("phare.drill.settleMs", ControllerConfig.DRILL_SETTLE.toMillis())));
        SystemClock clock = new SystemClock();
        ControlLoop loop = new ControlLoop((committed, journal, session) -> new Controller(config, committed, journal, clock,
                session.id()));
        RatisLog log = null;
        ApiServer api = null;
        try {
            log = RatisLog.start(new RatisLog.Config(o.dataDir().resolve("log"), o.self(), o.peers(), o.join(),
                    o.bootstrap(), o.log()), loop);
            RatisLog started = log;
            loop.bind(s -> started.isLeader() && started.term() == s.term());
            loop.leaderFaults(f -> leaderFault(f, started));
            // Every member of a group must seal with the same master key: give them the same --secrets-key file.
            SecretSealer sealer = SecretSealer.fromFile(o.secretsKey() != null ? o.secretsKey() : o.dataDir().resolve("secrets.key"),
                    new java.security.SecureRandom());
            api = new ApiServer(loop, log, sealer, o.host(), o.port(), config).start();
            String http = o.host() + ":" + api.port();
            MemberInfo me = new MemberInfo(o.self().id(), o.zone(), http, Release.version(), Release.maxLogFormat());
            KeyIssuer issuer = new KeyIssuer(sealer, new java.security.SecureRandom());
            Path credentials = o.dataDir().resolve(CREDENTIALS_FILE);
            java.util.concurrent.atomic.AtomicReference<KeyIssuer.Issued> unwritten = new java.util.concurrent.atomic.AtomicReference<>();
            Leadership leadership = new Leadership(log, loop, me, c -> {
                defineTopology(c, o.topology());
                bootstrapOperator(c, issuer, credentials, "http://" + http, loop, unwritten);
            });
            api.leadership(leadership::quorum);
            loop.start();
            requireReadableLog(loop, log);
            leadership.start();
            if (o.alone()) {
                awaitActive(loop, log);
            }
            LOG.info("member {} serving on http://{} (zone {}, Raft at {})", o.self().id(), http, o.zone(), o.self().address());
            ScheduledExecutorService snapshots = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "phare-snapshots");
                t.setDaemon(true);
                return t;
            });
            PhareServer server = new PhareServer(log, loop, api, leadership, snapshots);
            snapshots.scheduleWithFixedDelay(server::snapshotIfDue, SNAPSHOT_CHECK_MS, SNAPSHOT_CHECK_MS,
                    TimeUnit.MILLISECONDS);
            return server;
        } catch (IOException | RuntimeException e) {
            if (api != null) {
                api.close();
            }
            loop.close();
            if (log != null) {
                log.close();
            }
            throw e;
        }
    }

    /**
     * Until an operator holds an active key, each new leader creates the {@value #OPERATOR} account (if missing)
     * and a key for it, and writes them, readable by this user only, to {@code <dataDir>/}{@value #CREDENTIALS_FILE}
     * as a profile of the CLI's config file: without it nobody could sign the first request. The secret is never
     * logged.
     *
     * <p>A controller may stop before its key's commit is confirmed to it (leadership lost for a moment, right after
     * the cloud's first election) while the key commits all the same: {@code unwritten} keeps the key issued here
     * until its file is written, and the next controller of this member writes it if the key is in the log.
     */
    static void bootstrapOperator(Controller c, KeyIssuer issuer, Path file, String server, ControlLoop loop,
                                          java.util.concurrent.atomic.AtomicReference<KeyIssuer.Issued> unwritten) {
        var state = c.state();
        KeyIssuer.Issued pending = unwritten.get();
        if (pending != null) {
            var committed = state.accessKeys().get(pending.command().keyId());
            if (committed != null && committed.active()) {
                unwritten.compareAndSet(pending, null);
                Thread.ofVirtual().name("phare-operator-key").start(() -> writeOperatorKey(file, pending, server));
                return;
            }
        }
        boolean served = state.accessKeys().values().stream().anyMatch(k -> k.active()
                && state.accounts().get(k.account()).role() == Account.Role.OPERATOR);
        if (served) {
            return;
        }
        TenantId name = new TenantId(OPERATOR);
        Account existing = state.accounts().get(name);
        if (existing != null && existing.role() != Account.Role.OPERATOR) {
            LOG.warn("no operator holds an active key, and the account '{}' is a {}: create an operator with"
                    + " `phare account create NAME --role operator` from a key that still works", OPERATOR, existing.role());
            return;
        }
        if (existing == null && !c.submit(new Command.CreateAccount(name, Account.Role.OPERATOR)).isOk()) {
            throw new IllegalStateException("cannot create the operator account");
        }
        KeyIssuer.Issued key = issuer.issue(name);
        if (!c.submit(key.command()).isOk()) {
            throw new IllegalStateException("cannot create the operator's access key");
        }
        // Written once the key is committed (a key file for a key the log lost would let nobody in), off the loop.
        unwritten.set(key);
        loop.afterCommit(() -> {
            if (unwritten.compareAndSet(key, null)) {
                Thread.ofVirtual().name("phare-operator-key").start(() -> writeOperatorKey(file, key, server));
            }
        });
    }

    private static void writeOperatorKey(Path file, KeyIssuer.Issued key, String server) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, "# The operator's access key, created when the cloud had none. Keep it secret: copy this\n"
                    + "# profile to ~/.phare/config (or point PHARE_CONFIG here), then delete this file.\n"
                    + new Credentials(key.command().keyId(), key.secret()).iniSection("default", server));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.error("operator access key {} created, but its profile could not be written to {}: {}", key.command().keyId(),
                    file, e.toString());
            return;
        }
        LOG.info("operator access key {} created; its profile is in {}", key.command().keyId(), file);
    }

    /**
     * The first leader of an empty cloud draws the salt its ids derive from (two clouds must not hand out the same
     * instance ids), then defines the region, zones, sites, types and images.
     */
    private static void defineTopology(Controller c, Topology topology) {
        if (c.state().idSalt() == 0 && c.state().instanceSeq() == 0 && c.state().keyPairSeq() == 0) {
            long salt = 0;
            java.security.SecureRandom random = new java.security.SecureRandom();
            while (salt == 0) {
                salt = random.nextLong();
            }
            if (!c.submit(new Command.SetIdSalt(salt)).isOk()) {
                throw new IllegalStateException("cannot record the cloud's id salt");
            }
            // A new cloud starts at the latest log format its first leader reads (as KRaft formats a new cluster at its
            // release's metadata version); an existing cloud raises it with `phare cluster upgrade-format`.
            if (Release.maxLogFormat() > c.state().logFormat()
                    && !c.submit(new Command.RaiseLogFormat(Release.maxLogFormat(), "cloud creation")).isOk()) {
                throw new IllegalStateException("cannot record the cloud's log format");
            }
        }
        if (!c.state().regions().isEmpty()) {
            return;
        }
        for (Command command : topology.commands()) {
            Result r = c.submit(command);
            if (!r.isOk()) {
                throw new IllegalArgumentException("the topology is invalid: " + r);
            }
        }
        LOG.info("new cloud: region {} with {} zones", topology.region(), topology.zones().size());
    }

    /**
     * A member too old for the cloud's log format refuses to start, naming the format it needs: it replays what its
     * own log and snapshot hold (bounded by {@link #READABLE_WAIT_MS}) and stops if they are of a format it does not read.
     * A member that meets such a record later, from the leader, stops replaying there (see the replica's failure).
     */
    private static void requireReadableLog(ControlLoop loop, RatisLog log) throws IOException {
        long target = log.lastLocalIndex();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READABLE_WAIT_MS);
        while (true) {
            // Whether the wait is over is read before the checks: a failure recorded before the applied index moved is seen.
            boolean done = log.status().appliedIndex() >= target || System.nanoTime() - deadline > 0;
            RuntimeException failure = log.replicaFailure();
            if (failure != null && unreadableFormat(failure)) {
                throw new IOException("this member cannot read the cloud's log: " + rootMessage(failure), failure);
            }
            if (loop.logFormat() > Release.maxLogFormat()) {
                throw new IOException("the cloud's log is at format " + loop.logFormat() + " and this member reads formats up to "
                        + Release.maxLogFormat() + " (release " + Release.version() + "): run a release that reads log format "
                        + loop.logFormat() + " on this member");
            }
            if (done) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while replaying the local log", e);
            }
        }
    }

    private static boolean unreadableFormat(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof org.phare.api.Json.UnknownRecordTypeException || c instanceof UnreadableLogFormatException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause().getMessage() != null) {
            c = c.getCause();
        }
        return c.getMessage();
    }

    private static void awaitActive(ControlLoop loop, RatisLog log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SINGLE_START_TIMEOUT_MS);
        while (loop.activeSession() == null) {
            if (log.replicaFailure() != null) {
                throw new IOException("cannot recover the record log: " + log.replicaFailure().getMessage(),
                        log.replicaFailure());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("the controller did not start within " + SINGLE_START_TIMEOUT_MS / 1000 + " s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting", e);
            }
        }
    }

    /** The state at one log index, captured on the control loop. */
    private record Capture(long index, StateSnapshot state) {}

    /**
     * Whether the check that sees {@code replayed} takes a snapshot of a quiet log: nothing replayed since the
     * previous check ({@code previousCheck}) and at least {@value #QUIET_SNAPSHOT_ENTRIES} entries after the latest
     * snapshot (Ratis's own entries count too). The other reason is {@link RatisLog#snapshotDue}.
     */
    static boolean quietSnapshotDue(long replayed, long lastSnapshot, long previousCheck) {
        return replayed == previousCheck && replayed - Math.max(0, lastSnapshot) >= QUIET_SNAPSHOT_ENTRIES;
    }

    /**
     * The periodic check, run now: takes a snapshot if {@link RatisLog#snapshotDue} or {@link #quietSnapshotDue};
     * true if one was saved. The index and the state are captured together on the control loop, the only thread that
     * changes the state; serialising and writing run on the caller's thread.
     */
    /** A capture for a snapshot longer than this is logged. */
    private static final long SLOW_CAPTURE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    public boolean snapshotIfDue() {
        try {
            long[] heldNanos = new long[1];
            Capture c = loop.call(v -> {
                long replayed = loop.replayedIndex();
                long previous = checkedIndex.getAndSet(replayed);
                boolean due = log.snapshotDue(replayed) || quietSnapshotDue(replayed, log.lastSnapshotIndex(), previous);
                long started = System.nanoTime();
                Capture captured = due ? new Capture(replayed, v.state().snapshot()) : null;
                heldNanos[0] = System.nanoTime() - started;
                return captured;
            });
            if (heldNanos[0] > SLOW_CAPTURE_NANOS) {
                // The loop serves nothing else meanwhile, heartbeats included: worth knowing as the cloud grows.
                LOG.info("capturing the state for a snapshot held the control loop for {} ms", heldNanos[0] / 1_000_000);
            }
            if (c != null && c.index() > 0) {
                return log.saveSnapshot(c.index(), c.state());
            }
        } catch (ControlLoop.Busy e) {
            LOG.info("snapshot postponed: {}", e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("snapshot failed (the log keeps growing until one succeeds): {}", e.toString());
        }
        return false;
    }

    public int port() {
        return api.port();
    }

    public RatisLog log() {
        return log;
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
        leadership.close();
        api.close();
        loop.close();
        log.close();
    }
}
