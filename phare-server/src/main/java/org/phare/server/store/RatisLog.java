package org.phare.server.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.phare.core.state.StateSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable, replicated record log: one member of an Apache Ratis group (one member alone is the embedded
 * default; three or five, one per zone, survive the loss of a zone). Each state-machine entry is a
 * {@link LogEntry}.
 *
 * <p><b>Writes</b> come only from the leader's controller, through a {@link Session} ({@link #newSession}): a
 * batch is proposed to the local Ratis server directly (never retried elsewhere by a client) and its future completes
 * once the batch is committed by a majority, each having {@code fsync}'d it, and applied here. A batch proposed by a
 * deposed leader that still reaches the log is ignored by every member (see {@link LogEntry}).
 *
 * <p><b>Reads</b> of the state are the {@link Replica}'s business: the state machine feeds it every committed
 * batch, on every member, the leader's own included.
 *
 * <p><b>Snapshots.</b> Ratis never snapshots on its own: the owner of the state calls {@link #saveSnapshot} with
 * the state at a log index; the log is then purged up to it, and a member that needs purged entries receives
 * the snapshot from the leader instead ({@link Replica#reset}).
 *
 * <p><b>Logging.</b> Ratis logs every configuration key it reads at INFO and its gRPC log appender floods WARN
 * lines about unreachable peers: run with {@code org.apache.ratis} at WARN and
 * {@code org.apache.ratis.grpc.server.GrpcLogAppender} at ERROR.
 */
public final class RatisLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RatisLog.class);

    /**
     * The id of the one group. Ratis keeps a group's files under {@code <dataDir>/<group uuid>/}, so the id must
     * never change: it is derived from the name {@code phare:record-log} (UUID version 3).
     */
    static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(UUID.fromString("b217324a-358c-37d2-b82e-fb162840034b"));

    /** How long an append waits for its commit before giving up. */
    static final long APPEND_TIMEOUT_MS = 10_000;
    /**
     * The largest encoded batch accepted: below Ratis's 4 MB log-appender buffer (what a leader sends a follower
     * at once) and its 8 MB log write buffer.
     */
    public static final int MAX_BATCH_BYTES = 4 * 1024 * 1024 - 64 * 1024;
    /** How long {@link #saveSnapshot} waits for Ratis to take the snapshot it wrote. */
    static final long SNAPSHOT_TIMEOUT_MS = 30_000;
    /**
     * A leader grants leases (answers heartbeats) only within this time after a confirmation of its leadership
     * ({@link #confirmLeadership}) that it requested: a majority acknowledged it after that request, so no other
     * leader was elected before the request; with the agents' lease (3 s, counted from their send) and a new
     * leader's grace (5 s), an agent renewed by a deposed leader has fenced before any new leader may judge it.
     */
    public static final long QUORUM_CONTACT_MS = 1_000;

    /** A member of the group: its Raft id and the {@code host:port} it listens on for Raft. */
    public record Peer(String id, String address) {
        public Peer {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
            if (!id.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,62}")) {
                throw new IllegalArgumentException("a member id is 1 to 63 letters, digits, '-' or '_', got '" + id + "'");
            }
            int colon = address.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("member " + id + ": address must be HOST:PORT, got '" + address + "'");
            }
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("member " + id + ": port must be in 1..65535, got '" + address + "'");
            }
        }

        /** {@code ID=HOST:PORT} */
        public static Peer parse(String spec) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a member is ID=HOST:PORT, got '" + spec + "'");
            }
            return new Peer(spec.substring(0, eq).trim(), spec.substring(eq + 1).trim());
        }

        /** {@code ID=HOST:PORT,ID=HOST:PORT,...} */
        public static List<Peer> parseList(String specs) {
            List<Peer> peers = new ArrayList<>();
            for (String s : specs.split(",")) {
                if (!s.isBlank()) {
                    peers.add(parse(s.trim()));
                }
            }
            return peers;
        }

        String host() {
            return address.substring(0, address.lastIndexOf(':'));
        }

        int port() {
            return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        }

        RaftPeer toRaft() {
            return RaftPeer.newBuilder().setId(RaftPeerId.valueOf(id)).setAddress(address).build();
        }

        @Override
        public String toString() {
            return id + "=" + address;
        }
    }

    /**
     * Tuning of the log.
     *
     * @param snapshotEvery     take a snapshot once the log index advanced this much since the last one (read by
     *                          the owner of the state, see {@link #snapshotDue}). Indexes count Ratis's own
     *                          entries too
     * @param snapshotsRetained how many snapshot files to keep (at least 1)
     * @param segmentSizeBytes  the size at which Ratis closes a log segment and opens the next; only closed
     *                          segments can be purged
     */
    public record Options(long snapshotEvery, int snapshotsRetained, long segmentSizeBytes, long snapshotChunkBytes) {
        public static final long DEFAULT_SNAPSHOT_EVERY = 10_000;
        public static final int DEFAULT_SNAPSHOTS_RETAINED = 2;
        /** Ratis's default (32 MB). */
        public static final long DEFAULT_SEGMENT_SIZE_BYTES = 32L * 1024 * 1024;
        /** Ratis's default (16 MB): what a leader sends a follower per install request. */
        public static final long DEFAULT_SNAPSHOT_CHUNK_BYTES = 16L * 1024 * 1024;

        public Options {
            if (snapshotEvery < 1) {
                throw new IllegalArgumentException("snapshotEvery must be positive, got " + snapshotEvery);
            }
            if (snapshotsRetained < 1) {
                throw new IllegalArgumentException("snapshotsRetained must be positive, got " + snapshotsRetained);
            }
            if (segmentSizeBytes < 64 * 1024) {
                throw new IllegalArgumentException("segmentSizeBytes must be at least 64 KiB, got " + segmentSizeBytes);
            }
            if (snapshotChunkBytes < 1024) {
                throw new IllegalArgumentException("snapshotChunkBytes must be at least 1 KiB, got " + snapshotChunkBytes);
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_SNAPSHOT_EVERY, DEFAULT_SNAPSHOTS_RETAINED, DEFAULT_SEGMENT_SIZE_BYTES,
                    DEFAULT_SNAPSHOT_CHUNK_BYTES);
        }

        public Options withSnapshotEvery(long entries) {
            return new Options(entries, snapshotsRetained, segmentSizeBytes, snapshotChunkBytes);
        }

        public Options withSegmentSizeBytes(long bytes) {
            return new Options(snapshotEvery, snapshotsRetained, bytes, snapshotChunkBytes);
        }

        public Options withSnapshotChunkBytes(long bytes) {
            return new Options(snapshotEvery, snapshotsRetained, segmentSizeBytes, bytes);
        }
    }

    /**
     * How to start a member.
     *
     * @param dir     the log's own directory: a missing or empty one is formatted, one holding this log is
     *                recovered, any other is refused
     * @param self    this member (its address is where it listens; port 0 picks a free loopback port)
     * @param peers   the group when it is formed (including {@code self}); ignored when the directory already
     *                holds a log (the log knows its members)
     * @param join    start with no group and wait to be added by {@code phare cluster add} (a new member)
     * @param bootstrap with several peers, an empty directory is formatted only if this is set (the first start of
     *                the group): a member whose disk was wiped must not come back as a fresh voter, which could
     *                vote twice in one term
     */
    public record Config(Path dir, Peer self, List<Peer> peers, boolean join, boolean bootstrap, Options options) {
        public Config {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(self, "self");
            peers = List.copyOf(peers);
            Objects.requireNonNull(options, "options");
            if (!join && peers.stream().noneMatch(p -> p.id().equals(self.id()))) {
                throw new IllegalArgumentException("the members " + peers + " do not include this node (" + self.id() + ")");
            }
        }

        /** One member alone on loopback: the embedded default. */
        public static Config single(Path dir, String nodeId, int raftPort, Options options) throws IOException {
            Peer self = new Peer(nodeId, "127.0.0.1:" + (raftPort == 0 ? freeLoopbackPort() : raftPort));
            return new Config(dir, self, List.of(self), false, true, options);
        }
    }

    private final Path dataDir;
    private final Peer self;
    private final RaftServer server;
    private final RaftServer.Division division;
    private final RecordStateMachine stateMachine;
    private final RaftProperties properties;
    private final Options options;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    /** Activations so far: part of each session id, so that ids grow across activations in one term. */
    private final AtomicLong activations = new AtomicLong();
    /** One snapshot at a time. */
    private final Object snapshotLock = new Object();
    private volatile boolean closed;

    private RatisLog(Path dataDir, Peer self, RaftServer server, RecordStateMachine stateMachine,
                     RaftProperties properties, Options options) throws IOException {
        this.dataDir = dataDir;
        this.self = self;
        this.server = server;
        this.division = server.getDivision(GROUP_ID);
        this.stateMachine = stateMachine;
        this.properties = properties;
        this.options = options;
    }

    /**
     * Starts the member: Ratis loads the latest snapshot into the replica ({@link Replica#reset}), then replays the
     * committed entries after it as they become known. Returns without waiting for a leader (a member of a group
     * may have to wait for a quorum); see {@link #awaitLeader}.
     *
     * @throws IOException if the directory cannot be used, Ratis fails to start or the latest snapshot cannot be read
     */
    public static RatisLog start(Config config, Replica replica) throws IOException {
        Objects.requireNonNull(replica, "replica");
        Path dir = config.dir().toAbsolutePath().normalize();
        RaftStorage.StartupOption option = startupOption(dir);
        if (option == RaftStorage.StartupOption.FORMAT && config.peers().size() > 1 && !config.bootstrap() && !config.join()) {
            throw new IOException("no record log in " + dir + ": a member of a group starts empty only when the group is"
                    + " formed (--bootstrap, on every member, the first time) or when it joins one (--join, then"
                    + " `phare cluster add`); a member that lost its disk must be removed (`phare cluster remove`) and"
                    + " added again");
        }
        RaftGroup group = config.join() ? RaftGroup.valueOf(GROUP_ID)
                : RaftGroup.valueOf(GROUP_ID, config.peers().stream().map(Peer::toRaft).toList());
        RaftProperties properties = properties(dir, config.self(), config.options(), config.peers().size());
        RecordStateMachine stateMachine = new RecordStateMachine(replica);
        RaftServer server = null;
        try {
            server = RaftServer.newBuilder()
                    .setServerId(RaftPeerId.valueOf(config.self().id()))
                    .setGroup(group)
                    .setStateMachine(stateMachine)
                    .setProperties(properties)
                    .setOption(option)
                    .build();
            try {
                server.start();
            } catch (java.util.concurrent.CompletionException e) {
                // Ratis reports a state machine that cannot initialise (an unreadable snapshot) this way.
                if (e.getCause() instanceof IOException io) {
                    throw new IOException("cannot start the record log in " + dir + ": " + io.getMessage(), io);
                }
                throw e;
            }
            RatisLog log = new RatisLog(dir, config.self(), server, stateMachine, properties, config.options());
            LOG.info("Record log {} started ({}) as member {} at {}{}", dir,
                    option == RaftStorage.StartupOption.FORMAT ? "new" : "recovered", config.self().id(),
                    config.self().address(), config.join() ? ", waiting to be added to a group" : "");
            return log;
        } catch (IOException | RuntimeException e) {
            closeQuietly(server);
            throw e;
        }
    }

    /** Waits until some member is a ready leader (this one or another). */
    public boolean awaitLeader(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (leaderId() == null || (isLeader() && !isLeaderReady())) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    public String nodeId() {
        return self.id();
    }

    public Peer self() {
        return self;
    }

    public Options options() {
        return options;
    }

    // ---------------------------------------------------------------------------------------------------
    // leadership

    public boolean isLeader() {
        return division.getInfo().isLeader();
    }

    /** Leader, and its first entry of the term is applied: it may serve writes. */
    public boolean isLeaderReady() {
        DivisionInfo info = division.getInfo();
        return info.isLeader() && info.isLeaderReady();
    }

    public long term() {
        return division.getInfo().getCurrentTerm();
    }

    /** The leader this member knows of, or null. */
    public String leaderId() {
        RaftPeerId id = division.getInfo().getLeaderId();
        return id == null ? null : id.toString();
    }

    /**
     * Confirms that this member still leads: a linearizable read, which Ratis answers on the leader only after a
     * majority acknowledged a heartbeat sent after the request (ReadIndex). Completes with true if so.
     */
    public CompletableFuture<Boolean> confirmLeadership() {
        RaftClientRequest request = localRequest(Message.EMPTY, RaftClientRequest.readRequestType(), QUORUM_CONTACT_MS);
        try {
            return server.submitClientRequestAsync(request).handle((r, e) -> e == null && r.isSuccess());
        } catch (IOException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    /**
     * Gives up the leadership (a drill's step-down, or a leader that cannot serve): to the first other voting member,
     * which Ratis brings up to date and then asks to start an election at once. A transfer to nobody in particular
     * (a null target) left the same member leading in DrillLeaderEndToEndTest, hence a named one.
     */
    public void handOver() {
        String other = members().stream().map(Peer::id).filter(id -> !id.equals(nodeId())).findFirst().orElse(null);
        transferTo(other == null ? null : RaftPeerId.valueOf(other));
    }

    private void transferTo(RaftPeerId newLeader) {
        try {
            server.transferLeadershipAsync(new org.apache.ratis.protocol.TransferLeadershipRequest(clientId,
                    division.getId(), GROUP_ID, callIds.incrementAndGet(), newLeader, APPEND_TIMEOUT_MS))
                    .whenComplete((reply, e) -> {
                        if (e != null || (reply != null && !reply.isSuccess())) {
                            LOG.warn("handing the leadership over to {} failed: {}", newLeader == null ? "anyone" : newLeader,
                                    e != null ? e.toString() : reply.getException());
                        }
                    });
        } catch (IOException e) {
            LOG.warn("stepping down failed: {}", e.toString());
        }
    }

    /** A new session for the local controller, in the current term. Call once the member is a ready leader. */
    public Session newSession() {
        long term = term();
        // Session ids grow across terms and across activations within one term: term in the high bits.
        long id = (term << 20) | (activations.incrementAndGet() & 0xFFFFF);
        return new Session(this, term, id, self.id());
    }

    /**
     * Commits an empty batch tagged with {@code session} and waits for it: once it returns, every earlier entry
     * has been applied and handed to the replica.
     *
     * @throws IOException if it does not commit within the append timeout
     */
    public void barrier(Session session) throws IOException {
        CompletableFuture<RaftClientReply> reply = propose(LogEntry.encode(
                new LogEntry.Batch(session.term(), session.id(), self.id(), 0, List.of())));
        try {
            RaftClientReply r = reply.get(APPEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (!r.isSuccess()) {
                throw new IOException("the barrier was refused: " + r.getException());
            }
            if (!RecordStateMachine.APPLIED.getContent().equals(r.getMessage().getContent())) {
                throw new IOException("the barrier was not applied (" + r.getMessage().getContent().toStringUtf8()
                        + "): the term changed, or the replica stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the barrier did not commit: " + e, e);
        }
    }

    /** Proposes one entry to the local server; fails fast with NotLeaderException when it is not the leader. */
    CompletableFuture<RaftClientReply> propose(byte[] bytes) {
        if (closed) {
            return CompletableFuture.failedFuture(new LogUnavailableException("the record log in " + dataDir + " is closed"));
        }
        RaftClientRequest request = localRequest(Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes)),
                RaftClientRequest.writeRequestType(), APPEND_TIMEOUT_MS);
        try {
            return server.submitClientRequestAsync(request);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A request to this member's own server, never retried elsewhere. */
    private RaftClientRequest localRequest(Message message, RaftClientRequest.Type type, long timeoutMs) {
        return RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(division.getId())
                .setGroupId(GROUP_ID)
                .setCallId(callIds.incrementAndGet())
                .setMessage(message)
                .setType(type)
                .setTimeoutMs(timeoutMs)
                .build();
    }

    /** The index of the last entry in this member's own log (committed or not), -1 when empty. */
    public long lastLocalIndex() {
        var last = division.getRaftLog().getLastEntryTermIndex();
        return last == null ? -1 : last.getIndex();
    }

    /** The replica stopped at an entry it could not decode or replay, or null: such a member must not lead. */
    public RuntimeException replicaFailure() {
        return stateMachine.failure();
    }

    // ---------------------------------------------------------------------------------------------------
    // members

    /** The members as they announced themselves through the log (id to info). */
    public Map<String, MemberInfo> announced() {
        return stateMachine.members();
    }

    /**
     * Announces where this member serves, through the leader; does nothing if the log already says so.
     *
     * @throws IOException if no leader takes it within the admin timeout
     */
    public void announce(MemberInfo info) throws IOException {
        if (info.equals(announced().get(info.id()))) {
            return;
        }
        byte[] entry = LogEntry.encode(new LogEntry.Member(info));
        if (isLeaderReady()) {
            // Through the local server: a one-member log may run on another port than its stored configuration says.
            try {
                RaftClientReply reply = propose(entry).get(APPEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                if (reply.isSuccess()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // fall through to the group's client
            }
        }
        try (RaftClient client = client()) {
            RaftClientReply reply = client.io().send(Message.valueOf(UnsafeByteOperations.unsafeWrap(entry)));
            if (!reply.isSuccess()) {
                throw new IOException("the announcement was refused: " + reply.getException());
            }
        }
    }

    /** The current voting members, by id. */
    public List<Peer> members() {
        return division.getRaftConf().getCurrentPeers().stream()
                .map(p -> new Peer(p.getId().toString(), p.getAddress()))
                .sorted(Comparator.comparing(Peer::id))
                .toList();
    }

    /**
     * Adds a member (already started with {@code join}): returns once it caught up and the new configuration is
     * committed. Must be called on the leader.
     */
    public void addMember(Peer peer) throws IOException {
        List<Peer> next = new ArrayList<>(members());
        if (next.stream().anyMatch(p -> p.id().equals(peer.id()))) {
            throw new IllegalArgumentException("member " + peer.id() + " is already in the group");
        }
        next.add(peer);
        setConfiguration(next);
    }

    /** Removes a member; the group then counts its majority without it. Must be called on the leader. */
    public void removeMember(String id) throws IOException {
        List<Peer> next = new ArrayList<>(members());
        if (!next.removeIf(p -> p.id().equals(id))) {
            throw new IllegalArgumentException("member " + id + " is not in the group");
        }
        if (next.isEmpty()) {
            throw new IllegalArgumentException("cannot remove the last member");
        }
        setConfiguration(next);
    }

    private void setConfiguration(List<Peer> peers) throws IOException {
        try (RaftClient client = client()) {
            RaftClientReply reply = client.admin().setConfiguration(peers.stream().map(Peer::toRaft).toList());
            if (!reply.isSuccess()) {
                throw new IOException("the group did not take the new members " + peers + ": " + reply.getException());
            }
        }
        LOG.info("Members are now {}", peers);
    }

    /** What this member knows of the group. */
    public record Status(String self, String leader, String role, long term, long commitIndex, long appliedIndex,
                         List<MemberStatus> members) {}

    /**
     * @param commitIndex   as the leader knows it (for the leader: its own), -1 when unknown
     * @param lastContactMs how long ago the leader heard from it (0 for the leader), -1 when unknown
     */
    public record MemberStatus(String id, String address, long commitIndex, long lastContactMs) {}

    public Status status() {
        DivisionInfo info = division.getInfo();
        Map<String, Long> commits = new HashMap<>();
        for (RaftProtos.CommitInfoProto c : division.getCommitInfos()) {
            commits.put(RaftPeerId.valueOf(c.getServer().getId()).toString(), c.getCommitIndex());
        }
        Map<String, Long> contact = new HashMap<>();
        if (info.isLeader()) {
            for (RaftProtos.ServerRpcProto f : info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList()) {
                contact.put(RaftPeerId.valueOf(f.getId().getId()).toString(), f.getLastRpcElapsedTimeMs());
            }
            contact.put(self.id(), 0L);
        }
        long commit = division.getRaftLog().getLastCommittedIndex();
        List<MemberStatus> list = new ArrayList<>();
        for (Peer p : members()) {
            long c = p.id().equals(self.id()) ? commit : commits.getOrDefault(p.id(), -1L);
            list.add(new MemberStatus(p.id(), p.address(), c, contact.getOrDefault(p.id(), -1L)));
        }
        String role = switch (info.getCurrentRole()) {
            case LEADER -> "leader";
            case FOLLOWER -> "follower";
            case CANDIDATE -> "candidate";
            case LISTENER -> "listener";
            default -> "unknown";
        };
        return new Status(self.id(), leaderId(), role, info.getCurrentTerm(), commit, info.getLastAppliedIndex(), list);
    }

    // ---------------------------------------------------------------------------------------------------
    // snapshots

    /** The index of the latest snapshot (the log holds only the entries after it, or a few more), -1 if none. */
    public long lastSnapshotIndex() {
        return stateMachine.latestSnapshotIndex();
    }

    /** Whether {@link Options#snapshotEvery} entries were replayed since the latest snapshot (or since empty). */
    public boolean snapshotDue(long replayedIndex) {
        return replayedIndex - Math.max(0, lastSnapshotIndex()) >= options.snapshotEvery();
    }

    /**
     * Saves a snapshot of the state at log index {@code index}, then has Ratis take it: Ratis keeps the
     * {@link Options#snapshotsRetained} latest snapshot files and purges the closed log segments up to it.
     *
     * <p><b>Consistency is the caller's duty:</b> {@code state} must be exactly the state after every entry up to
     * and including {@code index}: the owner of the state captures both together on the thread that replays.
     *
     * @throws IllegalArgumentException if {@code index} is beyond the last applied entry
     * @throws IOException if the file cannot be written or Ratis does not take the snapshot within 30 s
     * @return false if a snapshot at {@code index} or later already exists (nothing done)
     */
    public boolean saveSnapshot(long index, StateSnapshot state) throws IOException {
        Objects.requireNonNull(state, "state");
        synchronized (snapshotLock) {
            if (closed) {
                throw new LogUnavailableException("the record log in " + dataDir + " is closed");
            }
            long applied = lastAppliedIndex();
            if (index > applied) {
                throw new IllegalArgumentException("cannot snapshot at index " + index + ": the last applied entry is "
                        + applied);
            }
            if (index <= lastSnapshotIndex()) {
                return false;
            }
            long started = System.nanoTime();
            TermIndex at = division.getRaftLog().getTermIndex(index);
            if (at == null) {
                throw new IOException("the record log in " + dataDir + " has no entry at index " + index);
            }
            byte[] bytes = new SnapshotFile(SnapshotFile.FORMAT, at.getTerm(), at.getIndex(), state,
                    List.copyOf(announced().values())).encode();
            stateMachine.saveSnapshot(at, bytes);
            // Creation gap 1: Ratis skips the request only when nothing was applied since its latest snapshot,
            // which is still the previous one here (the new file is published by RecordStateMachine.takeSnapshot).
            // Straight to the local server: its address in the stored configuration may be an older run's.
            RaftClientReply reply = server.snapshotManagement(org.apache.ratis.protocol.SnapshotManagementRequest.newCreate(
                    clientId, division.getId(), GROUP_ID, callIds.incrementAndGet(), SNAPSHOT_TIMEOUT_MS, 1));
            if (!reply.isSuccess()) {
                throw new IOException("Ratis did not take the snapshot at index " + index + ": " + reply.getException(),
                        reply.getException());
            }
            if (reply.getLogIndex() < index) {
                throw new IOException("Ratis took a snapshot at index " + reply.getLogIndex() + ", not at " + index);
            }
            purgeUpTo(index);
            LOG.info("Snapshot at index {} saved ({} bytes, {} hosts, {} instances) and the log purged up to it, in {} ms",
                    index, bytes.length, state.compute().hosts().size(), state.compute().instances().size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return true;
        }
    }

    /** The log index of the last entry applied by Ratis (Ratis's own entries count too). */
    public long lastAppliedIndex() {
        return stateMachine.lastAppliedIndex();
    }

    /** The first index still in the log on disk: grows as snapshots let it be purged. */
    public long logStartIndex() {
        return division.getRaftLog().getStartIndex();
    }

    /** Stops the Ratis server; every acknowledged batch is already on the disks of a majority. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(server);
        LOG.info("Record log {} closed at index {}", dataDir, stateMachine.lastAppliedIndex());
    }

    // ---------------------------------------------------------------------------------------------------

    /** A client of the whole group, for announcements and membership changes. */
    private RaftClient client() {
        RaftGroup group = RaftGroup.valueOf(GROUP_ID, division.getRaftConf().getCurrentPeers());
        return RaftClient.newBuilder().setProperties(properties).setRaftGroup(group).setRetryPolicy(adminRetryPolicy()).build();
    }

    /** Bounded: the default policy retries forever without sleeping. About a minute. */
    private static RetryPolicy adminRetryPolicy() {
        return RetryPolicies.retryUpToMaximumCountWithFixedSleep(300, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS));
    }

    private static RaftStorage.StartupOption startupOption(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            Files.createDirectories(dir);
            return RaftStorage.StartupOption.FORMAT;
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("the record log's directory " + dir + " is not a directory");
        }
        if (Files.isDirectory(dir.resolve(GROUP_ID.getUuid().toString()))) {
            return RaftStorage.StartupOption.RECOVER;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                return RaftStorage.StartupOption.FORMAT;
            }
        }
        throw new IOException("the record log's directory " + dir + " is not empty and holds no Phare record log"
                + " (no " + GROUP_ID.getUuid() + "/ inside): refusing to create one there");
    }

    /** {@link RaftServerConfigKeys.Log.Appender#setRetryPolicy}: pairs of a wait and how many times it is used. */
    static final String APPENDER_RETRIES = "1ms,10, 100ms,100, 500ms," + Integer.MAX_VALUE;

    private static RaftProperties properties(Path dir, Peer self, Options options, int members) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setHost(p, self.host());
        GrpcConfigKeys.Server.setPort(p, self.port());
        // Never the default shared temporary path.
        RaftServerConfigKeys.setStorageDir(p, List.of(dir.toFile()));
        // Durability: commit only after FileChannel.force (these are the defaults; stated so they stay).
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, false);
        RaftServerConfigKeys.Log.setAsyncFlushEnabled(p, false);
        // Elections: a lost leader is noticed in 0.4-0.8 s (Ratis's 150-300 ms defaults call spurious elections on
        // a loaded two-core machine). A leader that hears no majority for 2 s steps down.
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(400, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(800, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p, TimeDuration.valueOf(2, TimeUnit.SECONDS));
        RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
        // A leader retries a member it cannot reach 10 times at once, then every 0.1 s for 10 s, then every 0.5 s
        // (each wait drawn between half and one and a half times that). Ratis's default waits 1 s after the tenth
        // failure and 5 s after the thirtieth: a member back from a restart then waited up to 5 s for its leader.
        RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, APPENDER_RETRIES);
        // Reads confirm the leadership with a majority (ReadIndex): see confirmLeadership.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Log.Appender.setSnapshotChunkSizeMax(p, SizeInBytes.valueOf(options.snapshotChunkBytes()));
        // Snapshots are written by the owner of the state (saveSnapshot) and taken on request only.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, false);
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, false);
        RaftServerConfigKeys.Snapshot.setTriggerWhenRemoveEnabled(p, false);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, options.snapshotsRetained());
        // Purge the closed segments up to each snapshot, even if a member still needs them: that member then
        // receives the snapshot instead, and the log on disk stays bounded whoever is down.
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, 1);
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(options.segmentSizeBytes()));
        return p;
    }

    /** Best effort: a failure is logged and the next snapshot tries again. */
    private void purgeUpTo(long index) {
        try {
            division.getRaftLog().purge(index).get(SNAPSHOT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            LOG.warn("Purging the record log up to index {} failed: {}", index, e.toString());
        }
    }

    /** A loopback port free now, for a member (or its HTTP API) about to bind it. */
    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    private static void closeQuietly(RaftServer server) {
        if (server != null) {
            try {
                server.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Closing the record log's Ratis server failed: {}", e.toString());
            }
        }
    }
}
