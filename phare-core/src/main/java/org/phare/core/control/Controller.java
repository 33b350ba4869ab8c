package org.phare.core.control;

import org.phare.core.record.ComputeRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.phare.core.agent.Protocol;
import org.phare.core.health.FailureDetector;
import org.phare.core.model.DesiredState;
import org.phare.core.model.Host;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.model.PendingReason;
import org.phare.core.model.Schedulability;
import org.phare.core.model.ZoneId;
import org.phare.core.placement.PlacementDecision;
import org.phare.core.placement.PlacementRequest;
import org.phare.core.placement.Scheduler;
import org.phare.core.record.Record;
import org.phare.core.record.RecordTypes;
import org.phare.core.state.CloudState;

/**
 * The active control plane: commands, the agent protocol, failure detection, fencing-aware eviction and
 * rate-limited recovery. Runs on the leader only; followers just replay.
 *
 * <p>Threading: every method must be called sequentially, from one event loop (no locks inside). Time comes
 * from the injected {@link Clock}; records go to the injected {@link Journal} and are replayed at once into the
 * controller's own copy of the state (through the same {@link CloudState#replay} the followers use), so it never
 * waits for consensus. Agents' replies are built from the <em>committed</em> state: an agent is never told to run a
 * placement that the log might still lose (a new leader could make it again, at the same generation, elsewhere).
 *
 * <p>What lives only in memory here, and is rebuilt (conservatively) after a restart: heartbeat deadlines,
 * which replies excluded which instances, and the recovery retry bookkeeping. What agents report that the cloud
 * shows (a copy running, where it serves) is recorded, so that it survives a leader change.
 */
public final class Controller {
    public static final String ALARM_CONTROL_PLANE_ISOLATED = "ControlPlaneIsolated";

    private final ControllerConfig config;
    /** The controller's own copy: the committed state plus what it appended since, committed or not yet. */
    private final CloudState state;
    /** What the log committed (replayed by whoever drives the controller); agents' replies come from it. */
    private final CloudState committed;
    private final Journal journal;
    private final Clock clock;
    private final Scheduler scheduler;
    private final FailureDetector detector;
    private final RateLimiter recoveryLimiter;
    private final long incarnation;
    private long replySeq;

    /** For each instance left out of a reply to its host: the first reply that left it out. */
    private final Map<InstanceId, Protocol.ReplyId> excludedSince = new HashMap<>();
    /** What each host last reported in full (heartbeats that leave their copies out refer to it). */
    private final Map<HostId, ObservedCopies> observed = new HashMap<>();
    /** Each host's last judged heartbeat: an identical one on an unchanged host concludes nothing new. */
    private final Map<HostId, Judged> judged = new HashMap<>();
    /** Each host's desired list, reused while its committed host is unchanged (heartbeats are O(1) when nothing moves). */
    private final Map<HostId, Desired> desiredLists = new HashMap<>();
    /** The last two desired lists sent to each host: the bases a reply's changes can be to. */
    private final Map<HostId, Sent> sentLists = new HashMap<>();
    /** The newest reply each host's agent said it received, and since when it has said nothing newer (our clock). */
    private final Map<HostId, Acknowledged> acknowledged = new HashMap<>();
    /** Recovery bookkeeping: an instance that failed to place is retried only once capacity may have grown. */
    private final Map<InstanceId, Long> failedAtEpoch = new HashMap<>();
    private long capacityEpoch;
    private boolean storming;

    private final Counters counters = new Counters();
    /** When each evicted instance lost its host, to measure how long recovery took. */
    private final Map<InstanceId, Long> evictedAtNanos = new HashMap<>();
    private Observer observer = new Observer() {};

    /** Measurements for metrics; called on the loop thread, must not block. */
    public interface Observer {
        /** An evicted instance runs again: {@code nanos} from its eviction to its agent's confirmation. */
        default void recovered(long nanos) {}

        /** Time between two heartbeats of one host, on the controller's clock. */
        default void heartbeatGap(long nanos) {}
    }

    public void observer(Observer o) {
        this.observer = Objects.requireNonNull(o);
    }

    /** Running totals, for metrics and the simulator's report. */
    public static final class Counters {
        public long placements;
        public long failoverPlacements;
        public long evictions;
        public long hostsDeclaredDead;
        public long recordsAppended;
        public long stormTicks;

        /** The sum of two sets of counters (e.g. over successive controller lives). */
        public Counters plus(Counters o) {
            Counters c = new Counters();
            c.placements = placements + o.placements;
            c.failoverPlacements = failoverPlacements + o.failoverPlacements;
            c.evictions = evictions + o.evictions;
            c.hostsDeclaredDead = hostsDeclaredDead + o.hostsDeclaredDead;
            c.recordsAppended = recordsAppended + o.recordsAppended;
            c.stormTicks = stormTicks + o.stormTicks;
            return c;
        }
    }

    /**
     * @param committed   the state the log committed (snapshot plus replay), which the driver keeps replaying every
     *                    committed batch into; the controller reads it and decides on a copy of its own
     * @param incarnation grows with every controller start or leader change (e.g. the Raft term), so agents
     *                    can order replies across controllers
     */
    public Controller(ControllerConfig config, CloudState committed, Journal journal, Clock clock, long incarnation) {
        this.config = Objects.requireNonNull(config);
        this.committed = Objects.requireNonNull(committed);
        this.state = committed.copy();
        this.journal = Objects.requireNonNull(journal);
        this.clock = Objects.requireNonNull(clock);
        this.scheduler = new Scheduler(config.placement());
        long now = clock.monotonicNanos();
        this.detector = new FailureDetector(config.health(), now);
        this.recoveryLimiter = new RateLimiter(config.recoveryPerSecond(), config.recoveryBurst(), now);
        this.incarnation = incarnation;
        if (state.cpuOvercommit() != config.placement().cpuOvercommit() || state.memOvercommit() != config.placement().memOvercommit()) {
            // The scheduler filters with the configured ratios and the reserve is counted, by replay, with the
            // recorded ones: on becoming active, record the configured ratios before deciding anything.
            emit(List.of(new ComputeRecord.SchedulingPolicySet(config.placement().cpuOvercommit(), config.placement().memOvercommit())));
        }
        // A previous leader may have recorded hosts dead and stopped before recording what that meant for their zones
        // and sites (a separate batch): check once on becoming active.
        emit(CrisisWrites.infrastructure(state, clock.epochMillis()));
    }

    /** The controller's own state: the committed one plus what it appended since. */
    public CloudState state() {
        return state;
    }

    /** What the log committed, as the driver replays it. */
    public CloudState committed() {
        return committed;
    }

    public ControllerConfig config() {
        return config;
    }

    public Counters counters() {
        return counters;
    }

    public FailureDetector detector() {
        return detector;
    }

    // ============================================================================================
    // commands
    // ============================================================================================

    public Result submit(Command command) {
        long nowMs = clock.epochMillis();
        return switch (command) {
            case Command.RunInstances c -> run(c, nowMs);
            case Command.StopInstances c -> commit(ComputeWrites.changeDesired(state, c.instances(), DesiredState.STOPPED, nowMs));
            case Command.TerminateInstances c -> commit(ComputeWrites.changeDesired(state, c.instances(), DesiredState.TERMINATED, nowMs));
            case Command.RebootInstances c -> commit(ComputeWrites.reboot(state, c.instances(), nowMs));
            case Command.StartInstances c -> start(c, nowMs);
            case Command.SetHostScheduling c -> commit(ComputeWrites.setHostScheduling(state, c));
            case Command.SetIdSalt c -> commit(ClusterWrites.setIdSalt(state, c));
            case Command.RaiseLogFormat c -> commit(ClusterWrites.raiseLogFormat(state, c, nowMs));
            case Command.RenameInstance c -> commit(ComputeWrites.renameInstance(state, c, nowMs));
            case Command.ScheduleDrill c -> commit(DrillWrites.schedule(state, c, nowMs));
            case Command.AbortDrill c -> commit(DrillWrites.abort(state, c, nowMs));
            case Command.ReportProbe c -> commit(DrillWrites.reportProbe(state, c, nowMs));
            case Command.NoteIntervention c -> commit(DrillWrites.noteIntervention(state, c, nowMs));
            case Command.OpenDrillFindings c -> commit(DrillWrites.openFindings(state, c, nowMs));
            case Command.DefineRegion c -> commit(TopologyWrites.defineTopology(state, c));
            case Command.DefineZone c -> commit(TopologyWrites.defineTopology(state, c));
            case Command.DefineSite c -> commit(TopologyWrites.defineTopology(state, c));
            case Command.DefineInstanceType c -> commit(TopologyWrites.defineTopology(state, c));
            case Command.DefineImage c -> commit(TopologyWrites.defineTopology(state, c));
            case Command.CreatePlacementGroup c -> commit(TopologyWrites.defineTopology(state, c));
            case Command.CreateAccount c -> commit(IdentityWrites.createAccount(state, c, nowMs));
            case Command.CreateAccessKey c -> commit(IdentityWrites.createAccessKey(state, c, nowMs));
            case Command.RevokeAccessKey c -> commit(IdentityWrites.revokeAccessKey(state, c, nowMs));
            case Command.CreateKeyPair c -> commit(IdentityWrites.createKeyPair(state, c, nowMs));
            case Command.DeleteKeyPair c -> commit(IdentityWrites.deleteKeyPair(state, c));
            case Command.CreateTags c -> commit(TagWrites.createTags(state, c));
            case Command.DeleteTags c -> commit(TagWrites.deleteTags(state, c));
            case Command.ApplyPlan c -> commit(ContinuityWrites.applyPlan(state, c, nowMs));
            case Command.ImportRoster c -> commit(ContinuityWrites.importRoster(c, nowMs));
            case Command.SetStaffStatus c -> commit(ContinuityWrites.setStaffStatus(state, c, nowMs));
            case Command.SetLevel c -> commit(ContinuityWrites.setLevel(state, c, nowMs));
            case Command.CloseSites c -> commit(ContinuityWrites.closeSites(state, c, nowMs));
            case Command.ReopenSites c -> commit(CrisisWrites.reopenSites(state, c, nowMs));
            case Command.SetTransport c -> commit(CrisisWrites.setTransport(state, c, nowMs));
            case Command.OpenMeeting c -> commit(CrisisWrites.openMeeting(state, c, nowMs));
            case Command.CloseMeeting c -> commit(CrisisWrites.closeMeeting(state, c, nowMs));
            case Command.RecordMinutes c -> commit(CrisisWrites.recordMinutes(state, c, nowMs));
            case Command.OpenAction c -> commit(CrisisWrites.openAction(state, c, nowMs));
            case Command.CloseAction c -> commit(CrisisWrites.closeAction(state, c, nowMs));
        };
    }

    private Result run(Command.RunInstances c, long nowMs) {
        Result.Rejected invalid = ComputeWrites.validate(state, config.region(), c);
        if (invalid != null) {
            return invalid;
        }
        if (c.clientToken() != null) {
            List<InstanceId> earlier = state.instancesWithToken(c.tenant(), c.clientToken());
            if (!earlier.isEmpty()) {
                return ComputeWrites.sameRequest(state, c, earlier);
            }
        }
        // Each instance is placed against the state holding the previous ones: several are tried in a trial that is
        // rolled back, so that falling short of the minimum leaves nothing behind. The records carry every decision,
        // so appending and replaying them gives the same result; they are one batch.
        CloudState.Trial trial = c.count() == 1 ? null : state.trial();
        String reservation = ComputeWrites.reservationId(state.idSalt(), state.instanceSeq() + 1);
        List<Record> records = new ArrayList<>();
        List<InstanceId> placed = new ArrayList<>();
        Result.Rejected shortfall = null;
        try {
            for (int i = 0; i < c.count(); i++) {
                Decision d = ComputeWrites.runOne(state, scheduler, config.region(), c, i, reservation, nowMs);
                if (d.result() instanceof Result.Rejected r) {
                    shortfall = r;
                    break;
                }
                if (trial != null) {
                    trial.replay(d.records());
                }
                records.addAll(d.records());
                placed.add((InstanceId) ((Result.Ok) d.result()).value());
            }
        } finally {
            if (trial != null) {
                trial.rollback();
            }
        }
        if (placed.size() < c.minCount()) {
            String message = c.minCount() == 1 ? shortfall.message() : shortfall.message() + " (" + placed.size()
                    + " of the " + c.minCount() + " instances asked for at least could be placed; none was started)";
            return new Result.Rejected(shortfall.code(), message);
        }
        emit(records);
        counters.placements += placed.size();
        return Result.ok(List.copyOf(placed));
    }

    private Result start(Command.StartInstances c, long nowMs) {
        Result.Rejected missing = ComputeWrites.requireInstances(state, c.instances());
        if (missing != null) {
            return missing;
        }
        for (InstanceId id : c.instances()) {
            Decision d = ComputeWrites.startOne(state, scheduler, config.region(), id, nowMs);
            if (d.result() instanceof Result.Rejected r) {
                return r;
            }
            emit(d.records());
        }
        return Result.ok(c.instances());
    }

    private Result commit(Decision d) {
        Result.Rejected tooOld = formatGate(d.records());
        if (tooOld != null) {
            return tooOld;
        }
        emit(d.records());
        return d.result();
    }

    /**
     * The log-format gate, as KRaft's {@code metadata.version}: a record of a type newer than the format in force is
     * not written, since a member of the group may not read it yet. Null when every record may be written.
     */
    private Result.Rejected formatGate(List<Record> records) {
        int format = RecordTypes.formatOf(records, state.logFormat());
        for (Record r : records) {
            int since = RecordTypes.since(r);
            if (since > format) {
                return new Result.Rejected("LogFormatTooOld", "this needs log format " + since + " (" + RecordTypes.of(r.getClass()).id()
                        + "); the cloud's log is at format " + state.logFormat() + ". Once every member runs a release that reads"
                        + " it (see: phare cluster status), raise it with: phare cluster upgrade-format --to " + since);
            }
        }
        return null;
    }

    /** Proposes a batch and replays it into the controller's own state, without waiting for the commit. */
    private void emit(List<Record> records) {
        if (records.isEmpty()) {
            return;
        }
        Result.Rejected tooOld = formatGate(records);
        if (tooOld != null) {
            throw new IllegalStateException("the controller decided records its log format does not allow: " + tooOld.message());
        }
        journal.append(records);
        counters.recordsAppended += records.size();
        for (Record r : records) {
            state.replay(r);
            if (mayFreeCapacity(r)) {
                capacityEpoch++;
            }
        }
    }

    private static boolean mayFreeCapacity(Record r) {
        return switch (r) {
            case ComputeRecord.InstancePlaced p -> false;
            case ComputeRecord.InstancePendingReason p -> false;
            case ComputeRecord.InstanceEvicted p -> false;
            case ComputeRecord.InstanceObserved o -> o.state() != InstanceState.RUNNING;
            case ComputeRecord.HostStateChanged h -> h.state() == HostState.READY;
            default -> true;
        };
    }

    // ============================================================================================
    // agent protocol
    // ============================================================================================

    /**
     * Registers a host (or re-registers it after an agent restart) and answers like a heartbeat.
     *
     * @throws IllegalArgumentException when the zone or site does not exist, or the host asks to change zone;
     *                                  the state is unchanged
     */
    public Protocol.Reply register(Protocol.Registration reg) {
        Host known = state.host(reg.host());
        if (!state.zones().containsKey(reg.zone())) {
            throw new IllegalArgumentException("zone " + reg.zone() + " does not exist");
        }
        if (!state.sites().containsKey(reg.site()) || !state.sites().get(reg.site()).zone().equals(reg.zone())) {
            throw new IllegalArgumentException("site " + reg.site() + " does not exist in zone " + reg.zone());
        }
        if (known != null && !known.zone().equals(reg.zone())) {
            throw new IllegalArgumentException("host " + reg.host() + " is registered in zone " + known.zone()
                    + ", not " + reg.zone() + ": a host cannot change zone");
        }
        detector.heard(reg.host(), clock.monotonicNanos());
        // A new agent: it has received nothing yet, and is owed a reply or two to say so.
        acknowledged.put(reg.host(), new Acknowledged(Protocol.ReplyId.NONE, -1));
        boolean changed = known == null || known.state() != HostState.READY || !known.capacity().equals(reg.capacity())
                || !known.site().equals(reg.site()) || !known.labels().equals(reg.labels());
        if (changed) {
            emit(List.of(new ComputeRecord.HostRegistered(reg.host(), reg.zone(), reg.site(), reg.capacity(), reg.labels(),
                    clock.epochMillis())));
            emit(CrisisWrites.infrastructure(state, clock.epochMillis()));
        }
        observed.remove(reg.host()); // a new agent: what the previous one reported says nothing now
        return reply(reg.host(), 0, false, false, true);
    }

    public Protocol.Reply heartbeat(Protocol.Heartbeat hb) {
        Host host = state.host(hb.host());
        if (host == null) {
            return new Protocol.Reply(nextReplyId(), false, config.health().heartbeatInterval().toMillis(), 0, List.of());
        }
        long nowMs = clock.epochMillis();
        long nowNanos = clock.monotonicNanos();
        boolean granted = receivesReplies(host.id(), hb.receivedReply(), nowNanos);
        if (granted) {
            observer.heartbeatGap(detector.silenceNanos(host.id(), nowNanos));
            detector.heard(host.id(), nowNanos);
        }
        List<Record> records = new ArrayList<>();
        if (granted && host.state() != HostState.READY) {
            records.add(new ComputeRecord.HostStateChanged(host.id(), HostState.READY, "heartbeat received", nowMs));
        }
        // A heartbeat may leave out copies it sent before, or send changes to them: use those, or ask for them in full
        // and judge nothing now.
        List<Protocol.Observed> running = hb.running();
        boolean resend = false;
        if (running == null) {
            running = copies(host.id(), hb);
            resend = running == null;
        } else if (hb.observedDigest() != 0) {
            observed.put(host.id(), new ObservedCopies(hb.observedDigest(), running));
        }
        // The same report, the same applied reply and the same host as last judged: the same conclusions (none).
        Judged last = judged.get(host.id());
        boolean unchanged = running != null && hb.observedDigest() != 0 && last != null
                && last.observedDigest() == hb.observedDigest() && last.appliedReply().equals(hb.appliedReply())
                && last.hostVersion() == state.hostVersion(host.id());
        if (running != null && !unchanged) {
            judge(host, hb.appliedReply(), running, nowMs, nowNanos, records);
        }
        boolean back = granted && host.state() != HostState.READY;
        emit(records);
        if (running != null) {
            judged.put(host.id(), new Judged(hb.observedDigest(), hb.appliedReply(), state.hostVersion(host.id())));
        }
        if (back) {
            emit(CrisisWrites.infrastructure(state, nowMs));
        }
        return reply(host.id(), hb.desiredDigest(), Boolean.TRUE.equals(hb.takesChanges()), resend, granted);
    }

    /**
     * The copies of a heartbeat that left them out: those last reported, with its changes when it carries some. Null
     * when they are not the ones we hold (a heartbeat lost on the way, another leader's): the agent sends them in full.
     */
    private List<Protocol.Observed> copies(HostId host, Protocol.Heartbeat hb) {
        ObservedCopies known = observed.get(host);
        Protocol.ObservedChanges c = hb.runningChanges();
        if (known == null) {
            return null;
        }
        if (c == null) {
            return known.digest() == hb.observedDigest() ? known.copies() : null;
        }
        if (known.digest() != c.base()) {
            return null;
        }
        List<Protocol.Observed> copies = c.applyTo(known.copies(), hb.observedDigest());
        if (copies == null) {
            return null;
        }
        observed.put(host, new ObservedCopies(hb.observedDigest(), copies));
        return copies;
    }

    /**
     * The newest reply an agent said it received, and since when (our monotonic clock) its heartbeats have said nothing
     * newer: -1 while the last one did.
     */
    private record Acknowledged(Protocol.ReplyId received, long staleSinceNanos) {}

    /**
     * Whether the host's agent still receives our replies, as its heartbeats acknowledge them; if not, we withhold its
     * lease and do not count it as heard.
     *
     * <p>Why: a heartbeat proves the host alive, not that it holds a lease: only a reply that reaches it renews that.
     * When its replies are lost (a one-way partition: requests pass, answers do not), the agent fences itself and its
     * copies stop, yet we keep hearing it, so we would never declare it dead and its instances would stay down, shown
     * as running, until the network heals. So once a host's heartbeats have acknowledged nothing new for
     * {@code fenceAfter} (its agent received nothing to renew its lease with meanwhile), they grant no lease and do not
     * count as heard: it turns suspect and dead as a silent host does, {@code deadAfter} after the last lease we
     * granted it, which is what fencing needs ({@code deadAfter > fenceAfter + margin}), and its instances move. A
     * withheld reply still reaches an agent whose path has healed; its next heartbeat acknowledges it, and the lease is
     * granted again. Safety never rests on this guess: a host is judged on the leases we granted, which only we know.
     */
    private boolean receivesReplies(HostId host, Protocol.ReplyId received, long nowNanos) {
        if (received == null) {
            return true; // an agent that does not say: as before acknowledgements
        }
        Acknowledged last = acknowledged.get(host);
        if (last == null || received.compareTo(last.received()) > 0) {
            acknowledged.put(host, new Acknowledged(received, -1));
            return true;
        }
        if (last.staleSinceNanos() < 0) {
            // Counted from the first heartbeat that says nothing new, not from the last that did: a host back from a
            // silence (a two-way partition, a pause) whose last heartbeat acknowledged a new reply is granted at once,
            // and acknowledges that reply next time. One whose last heartbeat was already stale gets a reply without a
            // lease first: the heartbeat after it acknowledges that one, and is granted (a heartbeat later).
            acknowledged.put(host, new Acknowledged(received, nowNanos));
            return true;
        }
        return nowNanos - last.staleSinceNanos() < config.health().fenceAfter().toNanos();
    }

    /** The copies a host last reported in full, and their digest: what a heartbeat that leaves them out means. */
    private record ObservedCopies(long digest, List<Protocol.Observed> copies) {}

    /** What a host's last judged heartbeat was made of, and the host's version after what it concluded. */
    private record Judged(long observedDigest, Protocol.ReplyId appliedReply, long hostVersion) {}

    /** A host's desired list as of a version of the committed host, with its digest. */
    private record Desired(long hostVersion, List<Protocol.Assignment> assignments, long digest) {}

    /** The last desired list sent to a host, and the one sent before it (or null). */
    private record Sent(Desired last, Desired before) {
        Desired withDigest(long digest) {
            return last.digest() == digest ? last : before != null && before.digest() == digest ? before : null;
        }
    }

    /** What the copies a host runs tell: instances running (or serving elsewhere), and copies confirmed gone. */
    private void judge(Host host, Protocol.ReplyId appliedReply, List<Protocol.Observed> running, long nowMs, long nowNanos,
                       List<Record> records) {
        for (Protocol.Observed o : running) {
            Instance i = current(host, o);
            if (i == null) {
                continue; // a stale copy: the reply leaves it out, so the agent destroys it
            }
            if (o.ready() && i.state() == InstanceState.PENDING && i.desired() == DesiredState.RUNNING) {
                records.add(new ComputeRecord.InstanceObserved(i.id(), i.generation(), InstanceState.RUNNING, nowMs, o.address()));
                Long evicted = evictedAtNanos.remove(i.id());
                if (evicted != null) {
                    observer.recovered(nowNanos - evicted);
                }
            } else if (o.ready() && i.state() == InstanceState.RUNNING && o.address() != null
                    && !o.address().equals(i.address())) {
                // Serves elsewhere now (restarted in place), or a log written before addresses were recorded.
                records.add(new ComputeRecord.InstanceObserved(i.id(), i.generation(), InstanceState.RUNNING, nowMs, o.address()));
            }
        }
        if (excludedSince.isEmpty()) {
            return; // no copy was left out of a reply: none can be confirmed gone
        }
        Set<InstanceId> present = null; // gathered only when a copy left out may be confirmed gone: hosts run thousands
        for (InstanceId id : state.instancesOn(host.id())) {
            Protocol.ReplyId excluded = excludedSince.get(id);
            if (excluded == null || appliedReply.compareTo(excluded) < 0) {
                continue; // not left out, or the agent may not have been told to stop it yet
            }
            if (present == null) {
                present = HashSet.newHashSet(running.size());
                for (Protocol.Observed o : running) {
                    if (current(host, o) != null) {
                        present.add(o.instance());
                    }
                }
            }
            if (present.contains(id)) {
                continue;
            }
            Instance i = state.instance(id);
            switch (i.desired()) {
                case STOPPED -> records.add(new ComputeRecord.InstanceObserved(id, i.generation(), InstanceState.STOPPED, nowMs));
                case TERMINATED -> records.add(new ComputeRecord.InstanceObserved(id, i.generation(), InstanceState.TERMINATED, nowMs));
                case RUNNING -> {
                    if (host.scheduling() != Schedulability.DRAINING) {
                        continue; // drain cancelled meanwhile: this reply includes it again and the agent restarts it
                    }
                    records.add(new ComputeRecord.InstanceEvicted(id, host.id(), i.generation(),
                            "host " + host.id() + " drained; its agent confirmed the copy stopped", nowMs));
                }
            }
            excludedSince.remove(id);
        }
    }

    /** The instance a copy is of, when the copy is its current one on this host; null for a stale copy. */
    private Instance current(Host host, Protocol.Observed o) {
        Instance i = state.instance(o.instance());
        return i == null || !host.id().equals(i.host()) || i.generation() != o.generation() ? null : i;
    }

    /**
     * The desired list for a host, from the committed state only. A host whose registration has not committed yet is
     * known (its reply must not make it register again) and runs nothing yet.
     */
    private Protocol.Reply reply(HostId hostId, long agentDesiredDigest, boolean takesChanges, boolean resend,
                                 boolean granted) {
        Protocol.ReplyId id = nextReplyId();
        Desired d = desired(hostId, id);
        // The same list as the one the agent applied: leave it out (the agent keeps it), a reply of a few bytes. A list
        // we sent it lately: the changes to it, when fewer than the list. Otherwise the list in full.
        boolean same = agentDesiredDigest != 0 && agentDesiredDigest == d.digest();
        List<Protocol.Assignment> full = same ? null : d.assignments();
        Protocol.DesiredChanges changes = null;
        if (!same) {
            Sent sent = sentLists.get(hostId);
            Desired base = takesChanges && agentDesiredDigest != 0 && sent != null ? sent.withDigest(agentDesiredDigest) : null;
            Protocol.Changed<Protocol.Assignment> c = base == null ? null
                    : Protocol.changes(base.assignments(), d.assignments(), Protocol.Assignment::instance);
            if (c != null && c.size() < d.assignments().size()) {
                changes = new Protocol.DesiredChanges(base.digest(), d.digest(), c.upserted(), c.removed());
                full = null;
            }
            if (sent == null || sent.last() != d) {
                sentLists.put(hostId, new Sent(d, sent == null ? null : sent.last()));
            }
        }
        return new Protocol.Reply(id, true, config.health().heartbeatInterval().toMillis(),
                granted ? config.health().fenceAfter().toMillis() : 0, full, resend,
                drillOrder(state, hostId, clock.epochMillis()), changes);
    }

    /**
     * A host's desired list from the committed state only (a host whose registration has not committed yet runs
     * nothing); what it leaves out is noted with the reply that first did, so that the agent's confirmation that the
     * copy is gone can be told from a copy it was never told to stop. Reused while the committed host is unchanged:
     * the same instances, so the same list and the same exclusions, already noted.
     */
    private Desired desired(HostId hostId, Protocol.ReplyId replyId) {
        Host host = committed.host(hostId);
        if (host == null) {
            return new Desired(-1, List.of(), Protocol.digestOfDesired(List.of()));
        }
        long version = committed.hostVersion(hostId);
        Desired cached = desiredLists.get(hostId);
        if (cached != null && cached.hostVersion() == version) {
            return cached;
        }
        List<Protocol.Assignment> list = new ArrayList<>();
        for (InstanceId iid : committed.instancesOn(hostId)) {
            Instance i = committed.instance(iid);
            if (i.desired() == DesiredState.RUNNING && host.scheduling() != Schedulability.DRAINING) {
                list.add(new Protocol.Assignment(iid, i.generation(), i.image(), i.demand(), i.reboots()));
                excludedSince.remove(iid);
            } else {
                excludedSince.putIfAbsent(iid, replyId);
            }
        }
        Desired d = new Desired(version, List.copyOf(list), Protocol.digestOfDesired(list));
        desiredLists.put(hostId, d);
        return d;
    }

    private Protocol.ReplyId nextReplyId() {
        return new Protocol.ReplyId(incarnation, ++replySeq);
    }

    // ============================================================================================
    // the periodic loop: detect, fence, evict, recover
    // ============================================================================================

    /** Runs one round of failure detection and recovery. Call it often (every 100 ms or so). */
    public void tick() {
        long now = clock.monotonicNanos();
        long nowMs = clock.epochMillis();
        boolean storm = stormDetected(now);
        if (storming && !storm) {
            detector.grantGrace(now); // hosts reconnect one by one: judge none on the isolation's silence
        }
        storming = storm;
        List<Record> records = new ArrayList<>();
        raiseOrClearAlarm(storm, nowMs, records);
        for (Host host : state.hosts().values()) {
            HostState verdict = detector.judge(host.id(), now);
            if (verdict == HostState.DEAD && storm) {
                verdict = HostState.SUSPECT; // freeze: we are probably the one cut off
            }
            if (host.state() == HostState.DEAD || verdict == HostState.READY || verdict == host.state()) {
                continue; // only heartbeats bring hosts back; nothing to do for healthy ones
            }
            long silenceMs = detector.silenceNanos(host.id(), now) / 1_000_000;
            // The silence is measured on the monotonic clock; the record carries where it began on the calendar
            // clock, so that the report can count an outage from the failure and not from this verdict.
            records.add(new ComputeRecord.HostStateChanged(host.id(), verdict, "silent for " + silenceMs + " ms", nowMs,
                    nowMs - silenceMs));
            if (verdict == HostState.DEAD) {
                counters.hostsDeclaredDead++;
            }
        }
        boolean hostsChanged = records.stream().anyMatch(r -> r instanceof ComputeRecord.HostStateChanged);
        emit(records);
        if (hostsChanged) {
            // Zones and sites whose every host is now dead are declared down: the plan's infrastructure trigger.
            emit(CrisisWrites.infrastructure(state, nowMs));
        }
        if (!storm) {
            evictFromDeadHosts(now, nowMs);
        } else {
            counters.stormTicks++;
        }
        recover(now, nowMs);
        runDrills(nowMs);
    }

    /** The fault a running drill holds on this host now, or null. */
    public static Protocol.DrillOrder drillOrder(CloudState state, HostId hostId, long nowMs) {
        var run = state.drills().running();
        if (run == null) {
            return null;
        }
        for (var done : run.steps()) {
            if (done.targets().contains(hostId.value())
                    && run.drill().timeline().get(done.step()).fault() instanceof org.phare.core.drill.Fault.AgentFault f
                    && (f.forMs() == 0 || nowMs < done.atMs() + f.forMs())) {
                return new Protocol.DrillOrder(run.id(), done.step(), f.action().name(), f.forMs());
            }
        }
        return null;
    }

    /** Most drill actions taken in one tick (a step at a time, each seeing the last). */
    private static final int DRILL_ACTIONS_PER_TICK = 20;

    /** The running drill's next actions, each emitted before the next is decided; none while the log format lacks drills. */
    private void runDrills(long nowMs) {
        for (int n = 0; n < DRILL_ACTIONS_PER_TICK; n++) {
            List<Record> records = DrillRunner.next(state, nowMs, config.drillSettle().toMillis());
            if (records.isEmpty() || formatGate(records) != null) {
                return;
            }
            emit(records);
        }
    }

    /** Most hosts of every zone silent at once: the likeliest cause is our own isolation. */
    private boolean stormDetected(long now) {
        if (detector.inGrace(now)) {
            return false; // agents are still reconnecting: their silence says nothing yet
        }
        long suspectNanos = config.health().suspectAfter().toNanos();
        Map<ZoneId, int[]> perZone = new HashMap<>();
        for (Host host : state.hosts().values()) {
            int[] c = perZone.computeIfAbsent(host.zone(), z -> new int[2]);
            c[0]++;
            if (detector.silenceNanos(host.id(), now) >= suspectNanos) {
                c[1]++;
            }
        }
        if (perZone.isEmpty()) {
            return false;
        }
        for (int[] c : perZone.values()) {
            if (c[1] <= config.stormFraction() * c[0]) {
                return false;
            }
        }
        return true;
    }

    private void raiseOrClearAlarm(boolean storm, long nowMs, List<Record> records) {
        boolean raised = state.alarms().containsKey(ALARM_CONTROL_PLANE_ISOLATED);
        if (storm && !raised) {
            records.add(new ComputeRecord.AlarmRaised(ALARM_CONTROL_PLANE_ISOLATED,
                    "more than " + Math.round(config.stormFraction() * 100) + "% of the hosts of every zone are silent:"
                            + " failover is frozen, the control plane is probably cut off", nowMs));
        } else if (!storm && raised) {
            records.add(new ComputeRecord.AlarmCleared(ALARM_CONTROL_PLANE_ISOLATED, nowMs));
        }
    }

    /** Fence before restart: instances leave a host only when it is dead and its agent has certainly fenced. */
    private void evictFromDeadHosts(long now, long nowMs) {
        List<Record> records = new ArrayList<>();
        for (Host host : state.hosts().values()) {
            if (host.state() != HostState.DEAD || state.instancesOn(host.id()).isEmpty() || !detector.fenced(host.id(), now)) {
                continue;
            }
            for (InstanceId id : state.instancesOn(host.id())) {
                Instance i = state.instance(id);
                records.add(new ComputeRecord.InstanceEvicted(id, host.id(), i.generation(),
                        "host " + host.id() + " declared dead and fenced", nowMs));
                if (i.desired() == DesiredState.RUNNING && evictedAtNanos.size() < 1_000_000) {
                    evictedAtNanos.put(id, now);
                }
                excludedSince.remove(id);
                counters.evictions++;
            }
        }
        emit(records);
    }

    /** Places waiting instances, highest priority first, within the recovery rate. */
    private void recover(long now, long nowMs) {
        if (state.recoveryQueue().isEmpty()) {
            return;
        }
        int budget = recoveryLimiter.available(now);
        if (budget == 0) {
            return;
        }
        List<CloudState.QueueKey> batch = new ArrayList<>();
        for (CloudState.QueueKey key : state.recoveryQueue()) {
            if (batch.size() >= config.maxRecoveryScan()) {
                break;
            }
            batch.add(key);
        }
        int placed = 0;
        for (CloudState.QueueKey key : batch) {
            if (placed >= budget) {
                break;
            }
            Instance i = state.instance(key.instance());
            Long failed = failedAtEpoch.get(i.id());
            if (failed != null && failed == capacityEpoch) {
                continue;
            }
            PlacementRequest request = new PlacementRequest(i.id(), i.tenant(), i.demand(), i.group(), i.zone(),
                    i.zonePinned(), true, i.generation() + 1);
            PlacementDecision decision = scheduler.place(state, config.region(), request);
            if (decision instanceof PlacementDecision.Placed p) {
                ComputeRecord.Placement kind = i.pendingReason() == PendingReason.STARTING ? ComputeRecord.Placement.RESTART : ComputeRecord.Placement.FAILOVER;
                emit(List.of(new ComputeRecord.InstancePlaced(i.id(), p.host(), i.generation() + 1, kind, nowMs)));
                failedAtEpoch.remove(i.id());
                counters.placements++;
                counters.failoverPlacements++;
                placed++;
            } else {
                PlacementDecision.Unplaceable u = (PlacementDecision.Unplaceable) decision;
                failedAtEpoch.put(i.id(), capacityEpoch);
                if (i.pendingReason() != PendingReason.INSUFFICIENT_CAPACITY || !u.message().equals(i.pendingDetail())) {
                    emit(List.of(new ComputeRecord.InstancePendingReason(i.id(), PendingReason.INSUFFICIENT_CAPACITY, u.message())));
                }
            }
        }
        recoveryLimiter.take(placed);
    }
}
