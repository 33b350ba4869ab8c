package org.phare.core.control;

import org.phare.core.record.ComputeRecord;
import org.phare.core.record.TagRecord;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.phare.core.model.DesiredState;
import org.phare.core.model.Host;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.model.InstanceType;
import org.phare.core.model.Launch;
import org.phare.core.model.TenantId;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.RegionId;
import org.phare.core.placement.Mix;
import org.phare.core.placement.PlacementDecision;
import org.phare.core.placement.PlacementRequest;
import org.phare.core.placement.Scheduler;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/**
 * Writes of instances and hosts: run (validated, placed, all or nothing), start, stop, terminate, reboot, rename, and host scheduling.
 *
 * <p>Pure: {@code (state, command, now) -> (records, result)}; they validate, decide and return the records to
 * append, never changing the state (the caller replays the records once committed).
 */
public final class ComputeWrites {
    public static final int MAX_PRIORITY = 1000;
    public static final int MAX_COUNT_PER_REQUEST = 1000;
    private static final int MAX_NAME_LENGTH = 128;
    public static final int MAX_CLIENT_TOKEN_LENGTH = 64;
    /** EC2's limit: 16 KiB of user data (before base64). */
    public static final int MAX_USER_DATA_BASE64 = 21_848;

    private ComputeWrites() {}

    /**
     * EC2-shaped instance ids ({@code i-} and 17 hex digits), unique and reproducible from the cloud's id salt and
     * the creation sequence: the mix is a bijection, so within a cloud no two sequences give one id, and two clouds
     * (two salts, drawn when each was created) do not give the same ids.
     */
    public static InstanceId instanceId(long salt, long seq) {
        return new InstanceId("i-0" + HexFormat.of().toHexDigits(Mix.mix64(seq ^ salt)));
    }

    /** Reservation ids: {@code r-} and 17 hex digits, from the creation sequence of the reservation's first instance. */
    public static String reservationId(long salt, long firstInstanceSeq) {
        return "r-0" + HexFormat.of().toHexDigits(Mix.mix64(firstInstanceSeq ^ salt ^ 0x5DEECE66DL));
    }

    /** Validates a run request; null when it is acceptable. */
    public static Result.Rejected validate(CloudState state, RegionId region, Command.RunInstances c) {
        if (c.count() < 1 || c.count() > MAX_COUNT_PER_REQUEST) {
            return new Result.Rejected("InvalidParameterValue", "count must be between 1 and " + MAX_COUNT_PER_REQUEST + ", got " + c.count());
        }
        if (c.priority() < 0 || c.priority() > MAX_PRIORITY) {
            return new Result.Rejected("InvalidParameterValue", "priority must be between 0 and " + MAX_PRIORITY + ", got " + c.priority());
        }
        if (c.name() != null && (c.name().isBlank() || c.name().length() > MAX_NAME_LENGTH)) {
            return new Result.Rejected("InvalidParameterValue", "name must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (!state.instanceTypes().containsKey(c.type())) {
            return new Result.Rejected("NotFound", "instance type " + c.type() + " does not exist (see: phare type ls)");
        }
        if (!state.images().containsKey(c.image())) {
            return new Result.Rejected("NotFound", "image " + c.image() + " does not exist (see: phare image ls)");
        }
        if (c.zone() != null && (!state.zones().containsKey(c.zone()) || !state.zones().get(c.zone()).region().equals(region))) {
            return new Result.Rejected("NotFound", "zone " + c.zone() + " does not exist in region " + region + " (see: phare zone ls)");
        }
        if (c.clientToken() != null && (c.clientToken().isEmpty() || c.clientToken().length() > MAX_CLIENT_TOKEN_LENGTH
                || !c.clientToken().chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e))) {
            return new Result.Rejected("InvalidParameterValue", "clientToken must be 1 to " + MAX_CLIENT_TOKEN_LENGTH
                    + " printable ASCII characters");
        }
        if (c.minCount() < 1 || c.minCount() > c.count()) {
            return new Result.Rejected("InvalidParameterValue", "the minimum count must be between 1 and the count ("
                    + c.count() + "), got " + c.minCount());
        }
        if (c.keyName() != null && state.keyPair(c.tenant(), c.keyName()) == null) {
            return new Result.Rejected("InvalidKeyPair.NotFound", "the key pair '" + c.keyName() + "' does not exist");
        }
        if (c.userData() != null && (c.userData().length() > MAX_USER_DATA_BASE64 || !isBase64(c.userData()))) {
            return new Result.Rejected("InvalidParameterValue", "user data must be base64 of at most 16 KiB");
        }
        Result.Rejected badTags = TagWrites.validateTags(c.tags());
        if (badTags != null) {
            return badTags;
        }
        if (c.group() != null) {
            PlacementGroup g = state.groups().get(c.group());
            if (g == null || !g.tenant().equals(c.tenant())) {
                return new Result.Rejected("NotFound", "placement group " + c.group() + " does not exist");
            }
        }
        return null;
    }

    /**
     * The answer to a retried run request whose client token already created {@code earlier}: those instances,
     * or {@code IdempotentParameterMismatch} when the retry asks for something else (another type, image, zone,
     * count or name), as EC2 answers.
     */
    public static Result sameRequest(CloudState state, Command.RunInstances c, List<InstanceId> earlier) {
        Instance first = state.instance(earlier.get(0));
        String expectedName = c.name() == null ? null : c.count() == 1 ? c.name() : c.name() + "-1";
        boolean same = first.type().equals(c.type()) && first.image().equals(c.image())
                && (c.zone() == null || (first.zonePinned() && c.zone().equals(first.zone())))
                && (c.zone() != null || !first.zonePinned())
                && earlier.size() <= c.count() && first.priority() == c.priority()
                && java.util.Objects.equals(first.group(), c.group())
                && (expectedName == null || expectedName.equals(first.name()))
                && earlier.size() >= c.minCount()
                && java.util.Objects.equals(first.launch() == null ? null : first.launch().keyName(), c.keyName())
                && java.util.Objects.equals(first.launch() == null ? null : first.launch().userData(), c.userData());
        if (!same) {
            return new Result.Rejected("IdempotentParameterMismatch", "client token '" + c.clientToken()
                    + "' was already used by a request with other parameters (it created " + earlier.get(0) + ")");
        }
        return Result.ok(List.copyOf(earlier));
    }

    /**
     * Requests and places one new instance: its records (request, placement, tags), or a rejection with the
     * scheduler's reason.
     *
     * @param index       the instance's position in the run request, from 0
     * @param reservation the reservation id of the run request
     */
    public static Decision runOne(CloudState state, Scheduler scheduler, RegionId region, Command.RunInstances c,
                                  int index, String reservation, long nowMs) {
        InstanceType type = state.instanceTypes().get(c.type());
        InstanceId id = instanceId(state.idSalt(), state.instanceSeq() + 1);
        PlacementRequest request = new PlacementRequest(id, c.tenant(), type.resources(), c.group(), c.zone(),
                c.zone() != null, false, 1);
        PlacementDecision decision = scheduler.place(state, region, request);
        if (decision instanceof PlacementDecision.Unplaceable u) {
            return Decision.reject(u.code(), u.message());
        }
        PlacementDecision.Placed placed = (PlacementDecision.Placed) decision;
        String name = c.name() == null ? id.value() : c.count() == 1 ? c.name() : c.name() + "-" + (index + 1);
        List<Record> records = new ArrayList<>(3);
        records.add(new ComputeRecord.InstanceRequested(id, c.tenant(), name, c.type(), type.resources(), c.image(), c.zone(),
                c.zone() != null, c.priority(), c.group(), nowMs, c.clientToken(),
                new Launch(reservation, c.keyName(), c.userData(), index)));
        records.add(new ComputeRecord.InstancePlaced(id, placed.host(), 1, ComputeRecord.Placement.INITIAL, nowMs));
        if (!c.tags().isEmpty()) {
            records.add(new TagRecord.TagsSet(List.of(id.value()), new java.util.TreeMap<>(c.tags())));
        }
        return new Decision(records, Result.ok(id));
    }

    /** The tenant of the instances {@link #room} imagines; never an account (account names have no '~'). */
    private static final TenantId ROOM_PROBE = new TenantId("~room");

    /**
     * How many more instances of {@code type} could start now, one after another wherever the scheduler puts them,
     * without eating the failover reserve: at most {@code max}. Decided by placing them in a trial that is rolled back,
     * so it is exactly what RunInstances would admit; O(max) placements.
     */
    public static int room(CloudState state, Scheduler scheduler, RegionId region, org.phare.core.model.InstanceTypeId type,
                           int max) {
        if (!state.instanceTypes().containsKey(type) || state.images().isEmpty()) {
            return 0;
        }
        Command.RunInstances c = new Command.RunInstances(ROOM_PROBE, type, state.images().keySet().iterator().next(), null,
                1, 0, null, null);
        CloudState.Trial trial = state.trial();
        try {
            for (int n = 0; n < max; n++) {
                Decision d = runOne(state, scheduler, region, c, 0, "r-room", 0);
                if (d.result() instanceof Result.Rejected) {
                    return n;
                }
                trial.replay(d.records());
            }
            return max;
        } finally {
            trial.rollback();
        }
    }

    private static boolean isBase64(String s) {
        try {
            java.util.Base64.getDecoder().decode(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Stop or terminate: the agent is told at its next heartbeat; capacity is released once it confirms. */
    public static Decision changeDesired(CloudState state, List<InstanceId> ids, DesiredState desired, long nowMs) {
        Result.Rejected missing = requireInstances(state, ids);
        if (missing != null) {
            return new Decision(List.of(), missing);
        }
        List<Record> records = new ArrayList<>();
        for (InstanceId id : ids) {
            Instance i = state.instance(id);
            if (i.desired() != desired && i.desired() != DesiredState.TERMINATED) {
                records.add(new ComputeRecord.InstanceDesiredChanged(id, desired, nowMs));
            }
        }
        return new Decision(records, Result.ok(ids));
    }

    /** Reboot: the agent restarts the copy at its next heartbeat; nothing moves. */
    public static Decision reboot(CloudState state, List<InstanceId> ids, long nowMs) {
        Result.Rejected missing = requireInstances(state, ids);
        if (missing != null) {
            return new Decision(List.of(), missing);
        }
        List<Record> records = new ArrayList<>();
        for (InstanceId id : ids) {
            Instance i = state.instance(id);
            if (i.desired() != DesiredState.RUNNING || i.host() == null) {
                return Decision.reject("Conflict", "instance " + id + " is " + i.state().wire() + ": only an instance on a host can be rebooted");
            }
            records.add(new ComputeRecord.InstanceRebootRequested(id, nowMs));
        }
        return new Decision(records, Result.ok(ids));
    }

    /** Start a stopped instance: it needs a host again, and is admitted like a new one. */
    public static Decision startOne(CloudState state, Scheduler scheduler, RegionId region, InstanceId id, long nowMs) {
        Instance i = state.instance(id);
        if (i.desired() == DesiredState.TERMINATED) {
            return Decision.reject("Conflict", "instance " + id + " is " + i.state().wire() + " and cannot be started");
        }
        if (i.desired() == DesiredState.RUNNING) {
            return new Decision(List.of(), Result.ok(id));
        }
        if (i.host() != null) {
            // Still stopping on its host: wanting it again simply keeps it there.
            return new Decision(List.of(new ComputeRecord.InstanceDesiredChanged(id, DesiredState.RUNNING, nowMs)), Result.ok(id));
        }
        PlacementRequest request = new PlacementRequest(id, i.tenant(), i.demand(), i.group(), i.zone(), i.zonePinned(),
                false, i.generation() + 1);
        PlacementDecision decision = scheduler.place(state, region, request);
        if (decision instanceof PlacementDecision.Unplaceable u) {
            return Decision.reject(u.code(), u.message());
        }
        PlacementDecision.Placed placed = (PlacementDecision.Placed) decision;
        return new Decision(List.of(
                new ComputeRecord.InstanceDesiredChanged(id, DesiredState.RUNNING, nowMs),
                new ComputeRecord.InstancePlaced(id, placed.host(), i.generation() + 1, ComputeRecord.Placement.RESTART, nowMs)),
                Result.ok(id));
    }

    public static Decision setHostScheduling(CloudState state, Command.SetHostScheduling c) {
        Host host = state.host(c.host());
        if (host == null) {
            return Decision.reject("NotFound", "host " + c.host() + " does not exist (see: phare host ls)");
        }
        if (host.scheduling() == c.scheduling()) {
            return new Decision(List.of(), Result.ok(c.host()));
        }
        String reason = c.reason() == null ? c.scheduling().name().toLowerCase(java.util.Locale.ROOT) : c.reason();
        return new Decision(List.of(new ComputeRecord.HostSchedulingChanged(c.host(), c.scheduling(), reason)), Result.ok(c.host()));
    }

    /** Renames an instance that is not terminated (renaming it to its name changes nothing). */
    public static Decision renameInstance(CloudState state, Command.RenameInstance c, long nowMs) {
        Result.Rejected missing = requireInstances(state, List.of(c.instance()));
        if (missing != null) {
            return new Decision(List.of(), missing);
        }
        if (c.name() == null || c.name().isBlank() || c.name().length() > MAX_NAME_LENGTH) {
            return Decision.reject("InvalidParameterValue", "name must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        Instance i = state.instance(c.instance());
        if (i.state() == InstanceState.TERMINATED) {
            return Decision.reject("Conflict", "instance " + i.id() + " is terminated: it cannot be renamed");
        }
        if (i.name().equals(c.name())) {
            return new Decision(List.of(), Result.ok(i.id()));
        }
        return new Decision(List.of(new ComputeRecord.InstanceRenamed(i.id(), c.name(), nowMs)), Result.ok(i.id()));
    }

    static Result.Rejected requireInstances(CloudState state, List<InstanceId> ids) {
        if (ids.isEmpty()) {
            return new Result.Rejected("InvalidParameterValue", "at least one instance id is required");
        }
        for (InstanceId id : ids) {
            if (state.instance(id) == null) {
                return new Result.Rejected("NotFound", "instance " + id + " does not exist");
            }
        }
        return null;
    }
}
