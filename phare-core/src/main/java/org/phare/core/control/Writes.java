package org.phare.core.control;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.phare.core.model.DesiredState;
import org.phare.core.model.Host;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.model.InstanceType;
import org.phare.core.model.KeyPair;
import org.phare.core.model.Launch;
import org.phare.core.model.Tag;
import org.phare.core.model.TenantId;
import org.phare.core.model.AccessKey;
import org.phare.core.model.Account;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.RegionId;
import org.phare.core.placement.Mix;
import org.phare.core.placement.PlacementDecision;
import org.phare.core.placement.PlacementRequest;
import org.phare.core.placement.Scheduler;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/**
 * Pure writes: {@code (state, command, now) -> (records, result)}. They validate, decide, and return the
 * records to append; they never change the state (the caller replays the records once committed).
 */
public final class Writes {
    public static final int MAX_PRIORITY = 1000;
    public static final int MAX_COUNT_PER_REQUEST = 1000;
    private static final int MAX_NAME_LENGTH = 128;
    public static final int MAX_CLIENT_TOKEN_LENGTH = 64;
    /** EC2's limits: 16 KiB of user data (before base64), 50 tags per resource, keys of 128 and values of 256. */
    public static final int MAX_USER_DATA_BASE64 = 21_848;
    public static final int MAX_TAGS_PER_RESOURCE = 50;
    public static final int MAX_TAG_KEY = 128;
    public static final int MAX_TAG_VALUE = 256;
    public static final int MAX_KEY_NAME = 255;
    public static final int MAX_KEY_PAIRS_PER_TENANT = 5000;

    private Writes() {}

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

    /** Key pair ids: {@code key-} and 17 hex digits, from the key pairs' creation sequence. */
    public static String keyPairId(long salt, long seq) {
        return "key-0" + HexFormat.of().toHexDigits(Mix.mix64(seq ^ salt ^ 0x2545F4914F6CDD1DL));
    }

    /**
     * The cloud's id salt, drawn by the server when it creates the cloud: accepted once, before any id was derived
     * (a later change could give an id already given).
     */
    public static Decision setIdSalt(CloudState state, Command.SetIdSalt c) {
        if (state.idSalt() == c.salt()) {
            return new Decision(List.of(), Result.ok(c.salt()));
        }
        if (state.idSalt() != 0 || state.instanceSeq() != 0 || state.keyPairSeq() != 0) {
            return Decision.reject("Conflict", "the cloud's id salt is set once, before the first instance or key pair");
        }
        return new Decision(List.of(new Record.IdSaltSet(c.salt())), Result.ok(c.salt()));
    }

    public static Decision defineTopology(CloudState state, Command command) {
        return switch (command) {
            case Command.DefineRegion c -> new Decision(List.of(new Record.RegionDefined(c.region())), Result.ok(c.region().id()));
            case Command.DefineZone c -> state.regions().containsKey(c.zone().region())
                    ? new Decision(List.of(new Record.ZoneDefined(c.zone())), Result.ok(c.zone().id()))
                    : Decision.reject("NotFound", "zone " + c.zone().id() + ": region " + c.zone().region() + " does not exist");
            case Command.DefineSite c -> state.zones().containsKey(c.site().zone())
                    ? new Decision(List.of(new Record.SiteDefined(c.site())), Result.ok(c.site().id()))
                    : Decision.reject("NotFound", "site " + c.site().id() + ": zone " + c.site().zone() + " does not exist");
            case Command.DefineInstanceType c -> c.type().resources().vcpus() < 1 || c.type().resources().memMiB() < 1
                    ? Decision.reject("InvalidParameterValue", "instance type " + c.type().id() + " needs at least 1 vCPU and 1 MiB")
                    : new Decision(List.of(new Record.InstanceTypeDefined(c.type())), Result.ok(c.type().id()));
            case Command.DefineImage c -> new Decision(List.of(new Record.ImageDefined(c.image())), Result.ok(c.image().id()));
            case Command.CreatePlacementGroup c -> createGroup(state, c.group());
            default -> throw new IllegalArgumentException("not a topology command: " + command);
        };
    }

    private static Decision createGroup(CloudState state, PlacementGroup group) {
        PlacementGroup existing = state.groups().get(group.id());
        if (existing != null && !existing.equals(group)) {
            return Decision.reject("Conflict", "placement group " + group.id() + " already exists with another owner or policy");
        }
        return new Decision(List.of(new Record.PlacementGroupCreated(group)), Result.ok(group.id()));
    }

    /** A new account; its name is the tenant id its resources carry. */
    public static Decision createAccount(CloudState state, Command.CreateAccount c, long nowMs) {
        if (!Account.validName(c.name().value())) {
            return Decision.reject("InvalidParameterValue", "an account name is 1 to 63 lower-case letters, digits or '-',"
                    + " starting with a letter or digit; got '" + c.name() + "'");
        }
        if (state.accounts().containsKey(c.name())) {
            return Decision.reject("Conflict", "account " + c.name() + " already exists");
        }
        Account a = new Account(c.name(), c.role(), nowMs);
        return new Decision(List.of(new Record.AccountCreated(a)), Result.ok(a));
    }

    /** A new access key of an existing account (the id and the sealed secret come from the caller). */
    public static Decision createAccessKey(CloudState state, Command.CreateAccessKey c, long nowMs) {
        if (!state.accounts().containsKey(c.account())) {
            return Decision.reject("NotFound", "account " + c.account() + " does not exist (see: phare account ls)");
        }
        if (!AccessKey.validId(c.keyId())) {
            return Decision.reject("InvalidParameterValue", "an access key id is PHK and 17 upper-case letters or digits");
        }
        if (state.accessKeys().containsKey(c.keyId())) {
            return Decision.reject("Conflict", "access key " + c.keyId() + " already exists");
        }
        AccessKey k = new AccessKey(c.keyId(), c.account(), c.sealedSecret(), nowMs, 0);
        return new Decision(List.of(new Record.AccessKeyCreated(k)), Result.ok(k));
    }

    /** Revokes a key; revoking a revoked key changes nothing and succeeds. */
    public static Decision revokeAccessKey(CloudState state, Command.RevokeAccessKey c, long nowMs) {
        AccessKey k = state.accessKeys().get(c.keyId());
        if (k == null) {
            return Decision.reject("NotFound", "access key " + c.keyId() + " does not exist (see: phare key ls)");
        }
        return new Decision(k.active() ? List.of(new Record.AccessKeyRevoked(k.id(), nowMs)) : List.of(), Result.ok(k.id()));
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
        Result.Rejected badTags = validateTags(c.tags());
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
        records.add(new Record.InstanceRequested(id, c.tenant(), name, c.type(), type.resources(), c.image(), c.zone(),
                c.zone() != null, c.priority(), c.group(), nowMs, c.clientToken(),
                new Launch(reservation, c.keyName(), c.userData(), index)));
        records.add(new Record.InstancePlaced(id, placed.host(), 1, Record.Placement.INITIAL, nowMs));
        if (!c.tags().isEmpty()) {
            records.add(new Record.TagsSet(List.of(id.value()), new java.util.TreeMap<>(c.tags())));
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

    // --- the continuity plan -----------------------------------------------------------------------

    public static final int MAX_NOTE = 500;

    /** A valid plan different from the current one becomes the next version; the same plan again changes nothing. */
    public static Decision applyPlan(CloudState state, Command.ApplyPlan c, long nowMs) {
        List<org.phare.core.continuity.PlanCheck.Problem> problems = org.phare.core.continuity.PlanCheck.problems(c.plan());
        if (!problems.isEmpty()) {
            return Decision.reject("InvalidPlan", problems.size() + " problem(s): " + String.join("; ",
                    problems.stream().limit(20).map(Object::toString).toList()));
        }
        if (c.note() != null && c.note().length() > MAX_NOTE) {
            return Decision.reject("InvalidParameterValue", "a note is at most " + MAX_NOTE + " characters");
        }
        if (state.level() >= c.plan().levels().size()) {
            return Decision.reject("Conflict", "the alert level is " + state.level() + ", which this plan does not have;"
                    + " lower the level first (phare level set)");
        }
        if (c.plan().equals(state.plan())) {
            return new Decision(List.of(), Result.ok(state.planVersion()));
        }
        int version = state.planVersion() + 1;
        return new Decision(List.of(new Record.PlanApplied(version, c.plan(), c.by(), c.note(), nowMs)), Result.ok(version));
    }

    /** A new alert level, with the actions it implies; the same level again changes nothing. */
    public static Decision setLevel(CloudState state, Command.SetLevel c, long nowMs) {
        org.phare.core.continuity.Plan plan = state.plan();
        if (plan == null) {
            return Decision.reject("NoPlan", "no continuity plan has been applied yet (phare plan apply)");
        }
        if (c.level() < 0 || c.level() >= plan.levels().size()) {
            return Decision.reject("InvalidParameterValue", "the plan has levels 0 to " + (plan.levels().size() - 1) + ", not " + c.level());
        }
        if (c.reason() == null || c.reason().isBlank() || c.reason().length() > MAX_NOTE) {
            return Decision.reject("MissingParameter", "a level change needs a reason (1 to " + MAX_NOTE + " characters)");
        }
        if (c.level() == state.level()) {
            return new Decision(List.of(), Result.ok(state.level()));
        }
        org.phare.core.continuity.LevelChange actions = org.phare.core.continuity.LevelChange.of(plan,
                List.copyOf(state.staff().values()), state.level(), c.level(), nowMs);
        return new Decision(List.of(new Record.LevelChanged(state.level(), c.level(), c.by(), c.reason(),
                c.trigger() == null ? "manual" : c.trigger(), actions, nowMs)), Result.ok(c.level()));
    }

    /** Closes the plan's sites named (by id or area) and lets the plan's closure-order triggers answer. */
    public static Decision closeSites(CloudState state, Command.CloseSites c, long nowMs) {
        org.phare.core.continuity.Plan plan = state.plan();
        if (plan == null) {
            return Decision.reject("NoPlan", "no continuity plan has been applied yet (phare plan apply)");
        }
        if (c.order() == null || c.order().isBlank() || c.order().length() > MAX_NOTE) {
            return Decision.reject("MissingParameter", "a closure needs the order's text (1 to " + MAX_NOTE + " characters)");
        }
        List<String> sites = plan.sites().stream()
                .filter(s -> s.id().equals(c.siteOrArea()) || s.area().equals(c.siteOrArea()))
                .map(org.phare.core.continuity.Plan.PlanSite::id).toList();
        if (sites.isEmpty()) {
            return Decision.reject("NotFound", "no site of the plan is or lies in '" + c.siteOrArea() + "'");
        }
        List<Record> records = new ArrayList<>();
        records.add(new Record.SitesClosed(sites, c.order(), c.by(), nowMs));
        records.addAll(triggered(state, "closure-order", 0, "order: " + c.order() + " (" + String.join(", ", sites) + ")", nowMs));
        return new Decision(records, Result.ok(sites));
    }

    /** The records a trigger of the plan adds: a level change (raise) or a recommendation, or none. */
    static List<Record> triggered(CloudState state, String kind, double absentPercent, String detail, long nowMs) {
        org.phare.core.continuity.Triggers.Outcome o = org.phare.core.continuity.Triggers.evaluate(state.plan(), state.level(),
                kind, absentPercent);
        return switch (o.action()) {
            case "raise" -> List.of(new Record.LevelChanged(state.level(), o.level(), "trigger", detail, kind,
                    org.phare.core.continuity.LevelChange.of(state.plan(), List.copyOf(state.staff().values()), state.level(),
                            o.level(), nowMs), nowMs));
            case "recommend" -> alreadyRecommended(state, o.level(), kind) ? List.of()
                    : List.of(new Record.LevelRecommended(o.level(), kind, detail, nowMs));
            default -> List.of();
        };
    }

    /** The same trigger already recommends this level since the level last changed: say it once. */
    private static boolean alreadyRecommended(CloudState state, int level, String kind) {
        List<Record.LevelChanged> history = state.levelHistory();
        long changedAt = history.isEmpty() ? Long.MIN_VALUE : history.get(history.size() - 1).atMs();
        List<Record.LevelRecommended> all = state.recommendations();
        for (int i = all.size() - 1; i >= 0 && all.get(i).atMs() >= changedAt; i--) {
            if (all.get(i).level() == level && all.get(i).trigger().equals(kind)) {
                return true;
            }
        }
        return false;
    }

    public static final int MAX_ROSTER = 100_000;

    public static Decision importRoster(Command.ImportRoster c, long nowMs) {
        if (c.people().isEmpty() || c.people().size() > MAX_ROSTER) {
            return Decision.reject("InvalidParameterValue", "a roster holds 1 to " + MAX_ROSTER + " people, got " + c.people().size());
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (org.phare.core.continuity.Person p : c.people()) {
            if (!ids.add(p.id())) {
                return Decision.reject("InvalidParameterValue", "person " + p.id() + " appears twice");
            }
        }
        return new Decision(List.of(new Record.RosterImported(c.people(), c.by(), nowMs)), Result.ok(c.people().size()));
    }

    public static Decision setStaffStatus(CloudState state, Command.SetStaffStatus c, long nowMs) {
        org.phare.core.continuity.Person p = state.staff().get(c.person());
        if (p == null) {
            return Decision.reject("NotFound", "person " + c.person() + " is not on the roster (see: phare staff ls)");
        }
        if (!org.phare.core.continuity.Person.STATUSES.contains(c.status())) {
            return Decision.reject("InvalidParameterValue", "status must be one of "
                    + String.join(", ", org.phare.core.continuity.Person.STATUSES) + ", got '" + c.status() + "'");
        }
        if (p.status().equals(c.status())) {
            return new Decision(List.of(), Result.ok(c.person()));
        }
        List<Record> records = new ArrayList<>();
        records.add(new Record.StaffStatusSet(c.person(), c.status(), c.by(), nowMs));
        if (state.plan() != null && p.withStatus(c.status()).unavailable() && !p.unavailable()) {
            // Absenteeism: the share of the roster out once this change is in, against the plan's thresholds.
            long out = state.staff().values().stream().filter(org.phare.core.continuity.Person::unavailable).count() + 1;
            double share = 100.0 * out / state.staff().size();
            records.addAll(triggered(state, "absenteeism", share,
                    String.format(java.util.Locale.ROOT, "%.1f %% of the roster absent or quarantined", share), nowMs));
        }
        return new Decision(records, Result.ok(c.person()));
    }

    // --- key pairs and tags -----------------------------------------------------------------------

    public static Decision createKeyPair(CloudState state, Command.CreateKeyPair c, long nowMs) {
        if (c.name() == null || c.name().isEmpty() || c.name().length() > MAX_KEY_NAME
                || !c.name().chars().allMatch(ch -> ch >= 0x20 && ch <= 0x7e)) {
            return Decision.reject("InvalidParameterValue", "a key pair name is 1 to " + MAX_KEY_NAME + " printable ASCII characters");
        }
        if (state.keyPair(c.tenant(), c.name()) != null) {
            return Decision.reject("InvalidKeyPair.Duplicate", "the key pair '" + c.name() + "' already exists");
        }
        if (state.keyPairCount(c.tenant()) >= MAX_KEY_PAIRS_PER_TENANT) {
            return Decision.reject("ResourceLimitExceeded", "an account may hold at most " + MAX_KEY_PAIRS_PER_TENANT + " key pairs");
        }
        KeyPair k = new KeyPair(keyPairId(state.idSalt(), state.keyPairSeq() + 1), c.tenant(), c.name(), c.type(), c.fingerprint(),
                c.publicKey(), nowMs);
        return new Decision(List.of(new Record.KeyPairCreated(k)), Result.ok(k));
    }

    public static Decision deleteKeyPair(CloudState state, Command.DeleteKeyPair c) {
        KeyPair k = c.id() != null ? state.keyPairs().get(c.id()) : state.keyPair(c.tenant(), c.name());
        if (k == null || !k.tenant().equals(c.tenant())) {
            return new Decision(List.of(), Result.ok(List.of()));
        }
        return new Decision(List.of(new Record.KeyPairDeleted(k.id())), Result.ok(List.of(k.id())));
    }

    public static Decision createTags(CloudState state, Command.CreateTags c) {
        Result.Rejected bad = requireResources(state, c.tenant(), c.resources());
        if (bad == null) {
            bad = validateTags(c.tags());
        }
        if (bad != null) {
            return new Decision(List.of(), bad);
        }
        for (String r : c.resources()) {
            java.util.Set<String> keys = new java.util.HashSet<>(state.tags(r).keySet());
            keys.addAll(c.tags().keySet());
            if (keys.size() > MAX_TAGS_PER_RESOURCE) {
                return Decision.reject("TagLimitExceeded", "resource " + r + " would have " + keys.size()
                        + " tags; the limit is " + MAX_TAGS_PER_RESOURCE);
            }
        }
        return new Decision(List.of(new Record.TagsSet(List.copyOf(c.resources()), new java.util.TreeMap<>(c.tags()))),
                Result.ok(c.resources()));
    }

    public static Decision deleteTags(CloudState state, Command.DeleteTags c) {
        Result.Rejected bad = requireResources(state, c.tenant(), c.resources());
        if (bad != null) {
            return new Decision(List.of(), bad);
        }
        List<Tag> tags = c.tags();
        if (tags.isEmpty()) {
            // EC2: no tag named removes every tag of the resources.
            java.util.Set<String> keys = new java.util.TreeSet<>();
            c.resources().forEach(r -> keys.addAll(state.tags(r).keySet()));
            tags = keys.stream().map(k -> new Tag(k, null)).toList();
        }
        return new Decision(tags.isEmpty() ? List.of() : List.of(new Record.TagsDeleted(List.copyOf(c.resources()), tags)),
                Result.ok(c.resources()));
    }

    /** Tag keys of 1 to 128 characters not starting with {@code aws:}, values of at most 256, at most 50 tags. */
    static Result.Rejected validateTags(java.util.Map<String, String> tags) {
        if (tags.size() > MAX_TAGS_PER_RESOURCE) {
            return new Result.Rejected("TagLimitExceeded", "at most " + MAX_TAGS_PER_RESOURCE + " tags per resource, got " + tags.size());
        }
        for (var t : tags.entrySet()) {
            if (t.getKey().isEmpty() || t.getKey().length() > MAX_TAG_KEY) {
                return new Result.Rejected("InvalidParameterValue", "a tag key is 1 to " + MAX_TAG_KEY + " characters, got '" + t.getKey() + "'");
            }
            if (t.getKey().regionMatches(true, 0, "aws:", 0, 4)) {
                return new Result.Rejected("InvalidParameterValue", "tag keys starting with 'aws:' are reserved");
            }
            if (t.getValue() == null || t.getValue().length() > MAX_TAG_VALUE) {
                return new Result.Rejected("InvalidParameterValue", "a tag value is 0 to " + MAX_TAG_VALUE + " characters (tag '" + t.getKey() + "')");
            }
        }
        return null;
    }

    /**
     * Every resource exists and belongs to {@code tenant} (null: any); another tenant's resource is refused exactly
     * like a missing one.
     */
    static Result.Rejected requireResources(CloudState state, TenantId tenant, List<String> resources) {
        if (resources.isEmpty()) {
            return new Result.Rejected("MissingParameter", "at least one resource id is required");
        }
        for (String r : resources) {
            if (r.startsWith("i-")) {
                Instance i = state.instances().get(new InstanceId(r));
                if (i == null || (tenant != null && !i.tenant().equals(tenant))) {
                    return new Result.Rejected("InvalidInstanceID.NotFound", "the instance ID '" + r + "' does not exist");
                }
            } else if (r.startsWith("key-")) {
                KeyPair k = state.keyPairs().get(r);
                if (k == null || (tenant != null && !k.tenant().equals(tenant))) {
                    return new Result.Rejected("InvalidKeyPair.NotFound", "the key pair '" + r + "' does not exist");
                }
            } else {
                return new Result.Rejected("InvalidID", "the ID '" + r + "' is not valid (instances i-..., key pairs key-...)");
            }
        }
        return null;
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
                records.add(new Record.InstanceDesiredChanged(id, desired, nowMs));
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
            records.add(new Record.InstanceRebootRequested(id, nowMs));
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
            return new Decision(List.of(new Record.InstanceDesiredChanged(id, DesiredState.RUNNING, nowMs)), Result.ok(id));
        }
        PlacementRequest request = new PlacementRequest(id, i.tenant(), i.demand(), i.group(), i.zone(), i.zonePinned(),
                false, i.generation() + 1);
        PlacementDecision decision = scheduler.place(state, region, request);
        if (decision instanceof PlacementDecision.Unplaceable u) {
            return Decision.reject(u.code(), u.message());
        }
        PlacementDecision.Placed placed = (PlacementDecision.Placed) decision;
        return new Decision(List.of(
                new Record.InstanceDesiredChanged(id, DesiredState.RUNNING, nowMs),
                new Record.InstancePlaced(id, placed.host(), i.generation() + 1, Record.Placement.RESTART, nowMs)),
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
        return new Decision(List.of(new Record.HostSchedulingChanged(c.host(), c.scheduling(), reason)), Result.ok(c.host()));
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
