package org.phare.server.ec2;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.phare.api.SigV4;
import org.phare.core.control.Command;
import org.phare.core.control.Controller;
import org.phare.core.control.Result;
import org.phare.core.control.ComputeWrites;
import org.phare.core.model.Host;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.Image;
import org.phare.core.model.ImageId;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.model.InstanceType;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.KeyPair;
import org.phare.core.model.Tag;
import org.phare.core.model.TenantId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;
import org.phare.core.state.CloudState;
import org.phare.server.auth.Authenticator;
import org.phare.server.auth.Authenticator.Principal;
import org.phare.server.auth.Compute;
import org.phare.server.forward.Forwarder;
import org.phare.server.forward.ReadYourWrites;
import org.phare.server.runtime.ControlLoop;

/**
 * The EC2 query API on {@code POST /} (and {@code GET /}), version {@value #VERSION}: what the AWS CLI and SDKs
 * speak. Each request is verified (Signature V4, service {@code ec2}, a region the cloud defines), then one action
 * runs on the control loop: reads on this member's replica, writes on the leader, in the same loop turn as the
 * tenant checks they depend on. On a member that does not lead, a write is forwarded to the leader and its answer
 * returned as it is ({@link Forwarder}); a read by an access key that wrote through this member waits until this
 * member's replica holds that write ({@link ReadYourWrites}): the AWS tools, pointed at any member, read their writes. Who may call which action is the native API's rule ({@link Compute}): tenants and
 * operators; every other role is refused with 403 {@code UnauthorizedOperation}. A tenant sees only its own
 * instances, key pairs and tags; another tenant's id answers exactly like an unknown one. Answers are EC2's XML;
 * refusals EC2's error document and codes.
 */
public final class Ec2Api {
    public static final String VERSION = "2016-11-15";
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8}([0-9a-f]{9})?");
    private static final Set<String> INSTANCE_FILTERS = Set.of("instance-id", "instance-state-name", "instance-state-code",
            "availability-zone", "instance-type", "image-id", "key-name", "tag-key", "tag-value", "private-ip-address",
            "private-dns-name", "reservation-id", "client-token", "launch-index");
    private static final Set<String> STATUS_FILTERS = Set.of("availability-zone", "instance-state-name",
            "instance-state-code", "instance-status.status", "system-status.status", "instance-status.reachability",
            "system-status.reachability");
    /** Actions of EC2 that Phare does not implement: refused as unsupported rather than unknown. */
    private static final Set<String> UNSUPPORTED = Set.of("AllocateAddress", "AssociateAddress", "AttachVolume",
            "AuthorizeSecurityGroupIngress", "CreateImage", "CreateSecurityGroup", "CreateSnapshot", "CreateSubnet",
            "CreateVolume", "CreateVpc", "DescribeAddresses", "DescribeSecurityGroups", "DescribeSnapshots",
            "DescribeSubnets", "DescribeVolumes", "DescribeVpcs", "ModifyInstanceAttribute", "DescribeInstanceAttribute",
            "GetConsoleOutput", "MonitorInstances", "RequestSpotInstances");

    /** What each action does with the compute side: {@link Compute} says which roles may (the native API's rule). */
    private static final Map<String, Compute> NEEDS = Map.ofEntries(
            Map.entry("DescribeAvailabilityZones", Compute.READ_CATALOGUE),
            Map.entry("DescribeRegions", Compute.READ_CATALOGUE),
            Map.entry("DescribeImages", Compute.READ_CATALOGUE),
            Map.entry("DescribeInstanceTypes", Compute.READ_CATALOGUE),
            Map.entry("DescribeAccountAttributes", Compute.READ_CATALOGUE),
            Map.entry("DescribeInstances", Compute.READ_INSTANCES),
            Map.entry("DescribeInstanceStatus", Compute.READ_INSTANCES),
            Map.entry("DescribeTags", Compute.READ_INSTANCES),
            Map.entry("DescribeKeyPairs", Compute.READ_INSTANCES),
            Map.entry("RunInstances", Compute.CHANGE_INSTANCES),
            Map.entry("StartInstances", Compute.CHANGE_INSTANCES),
            Map.entry("StopInstances", Compute.CHANGE_INSTANCES),
            Map.entry("RebootInstances", Compute.CHANGE_INSTANCES),
            Map.entry("TerminateInstances", Compute.CHANGE_INSTANCES),
            Map.entry("CreateTags", Compute.CHANGE_INSTANCES),
            Map.entry("DeleteTags", Compute.CHANGE_INSTANCES),
            Map.entry("CreateKeyPair", Compute.CHANGE_INSTANCES),
            Map.entry("ImportKeyPair", Compute.CHANGE_INSTANCES),
            Map.entry("DeleteKeyPair", Compute.CHANGE_INSTANCES));

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Ec2Api.class);
    /**
     * Largest run request, as an estimate of its records' size: user data and tags are recorded with every instance,
     * and a batch must stay well under the log's 4 MiB.
     */
    static final long MAX_RUN_BYTES = 2L * 1024 * 1024;

    /** Who sent a request: its Signature V4 for the service, or the identity a member forwarded it for. */
    @FunctionalInterface
    public interface Identify {
        /** @throws Authenticator.Refused if the request proves no identity */
        Principal principal(Context ctx, String service);
    }

    private final ControlLoop loop;
    private final Identify identify;
    private final Function<Context, SigV4.Request> requests;
    private final Forwarder forwarder;
    private final ReadYourWrites reads;

    private Ec2Api(ControlLoop loop, Identify identify, Function<Context, SigV4.Request> requests, Forwarder forwarder,
                   ReadYourWrites reads) {
        this.loop = loop;
        this.identify = identify;
        this.requests = requests;
        this.forwarder = forwarder;
        this.reads = reads;
    }

    /**
     * @param requests  reads a request as Signature V4 needs it (raw path, query, headers and body)
     * @param forwarder sends a write that reaches a member that does not lead to the leader
     * @param reads     what a read must see on this member
     */
    public static void register(RoutesConfig r, ControlLoop loop, Identify identify, Function<Context, SigV4.Request> requests,
                                Forwarder forwarder, ReadYourWrites reads) {
        Ec2Api api = new Ec2Api(loop, identify, requests, forwarder, reads);
        r.post("/", api::handle);
        r.get("/", api::handle);
    }

    private void handle(Context ctx) {
        String requestId = UUID.randomUUID().toString();
        ctx.header("x-amzn-RequestId", requestId);
        String xml;
        Principal p = null;
        try {
            try {
                p = identify.principal(ctx, "ec2");
            } catch (Authenticator.Refused e) {
                throw new Ec2Error(e.status(), e.code(), e.getMessage());
            }
            QueryParams q = QueryParams.parse("GET".equals(ctx.method().name()) ? ctx.queryString() : ctx.body());
            String action = q.required("Action");
            // An action not listed needs the widest grant: a role with none is refused before learning anything.
            if (!NEEDS.getOrDefault(action, Compute.CHANGE_INSTANCES).allows(p.role())) {
                throw new Ec2Error(403, "UnauthorizedOperation", "account " + p.account() + " ("
                        + p.role().name().toLowerCase(Locale.ROOT) + ") is not authorized to perform " + action);
            }
            String version = q.required("Version");
            if (!VERSION.equals(version)) {
                throw Ec2Error.invalid("this endpoint speaks EC2 API version " + VERSION + ", not " + version);
            }
            boolean write = NEEDS.get(action) == Compute.CHANGE_INSTANCES;
            if (write && !forwarder.leads()) {
                throw new ControlLoop.NotLeader(); // no use preparing it here (a key pair's generation, say)
            }
            if (!write) {
                // Read-your-writes by default: the tools send no index, but their key's last write went through here.
                reads.await(Math.max(reads.lastWrite(p.accessKeyId()), minIndex(ctx)));
            }
            xml = act(action, q, p, requestId, ctx);
            ctx.status(200);
        } catch (Ec2Error e) {
            ctx.status(e.status());
            xml = Xml.error(e.code(), e.getMessage(), requestId);
        } catch (ControlLoop.NotLeader e) {
            if (Boolean.TRUE.equals(ctx.attribute(Forwarder.FORWARDED)) || p == null) {
                // One hop only: the member that forwarded it waits for the leader and tries again.
                ctx.status(503).header("Retry-After", "1").header(Forwarder.OUTCOME, Forwarder.NOT_LEADER);
                xml = Xml.error("Unavailable", "this member of the control plane does not lead (any more, or yet); retry",
                        requestId);
            } else {
                switch (forwarder.forward(requests.apply(ctx), p)) {
                    case Forwarder.Outcome.Answered a -> {
                        ctx.status(a.status());
                        for (var h : a.headers()) {
                            if (h.getKey().equalsIgnoreCase("Content-Type")) {
                                ctx.contentType(h.getValue());
                            } else {
                                ctx.res().setHeader(h.getKey(), h.getValue()); // the leader's request id replaces ours
                            }
                        }
                        ctx.result(a.body());
                        return;
                    }
                    case Forwarder.Outcome.NoLeader n -> {
                        ctx.status(503).header("Retry-After", "1");
                        xml = Xml.error("Unavailable", n.message(), requestId);
                    }
                    case Forwarder.Outcome.Unknown u -> {
                        ctx.status(503).header("Retry-After", "1");
                        xml = Xml.error("Unavailable", u.message(), requestId);
                    }
                }
            }
        } catch (ReadYourWrites.Lagging e) {
            ctx.status(503).header("Retry-After", "1");
            xml = Xml.error("Unavailable", e.getMessage(), requestId);
        } catch (ControlLoop.Unconfirmed e) {
            ctx.status(503).header("Retry-After", "1");
            xml = Xml.error("Unavailable", e.getMessage(), requestId);
        } catch (ControlLoop.Busy e) {
            ctx.status(503);
            xml = Xml.error("RequestLimitExceeded", "the control plane is busy: " + e.getMessage(), requestId);
        } catch (IllegalArgumentException e) {
            // A value the model refuses (e.g. a blank id): the client's mistake.
            ctx.status(400);
            xml = Xml.error("InvalidParameterValue", e.getMessage() == null ? "invalid parameter value" : e.getMessage(), requestId);
        } catch (RuntimeException e) {
            LOG.warn("EC2 request {} failed", requestId, e);
            ctx.status(500);
            xml = Xml.error("InternalError", "An internal error has occurred (request " + requestId + ")", requestId);
        }
        ctx.contentType("text/xml;charset=UTF-8").result(xml);
    }

    /** The {@code Phare-Min-Index} a read asks for (the AWS tools send none), 0 if none. */
    private static long minIndex(Context ctx) {
        try {
            return ReadYourWrites.parse(ctx.header(ReadYourWrites.MIN_INDEX));
        } catch (IllegalArgumentException e) {
            throw Ec2Error.invalid(e.getMessage());
        }
    }

    private String act(String action, QueryParams q, Principal p, String requestId, Context ctx) {
        Xml x = Xml.response(action, requestId);
        switch (action) {
            case "RunInstances" -> runInstances(q, p, x);
            case "DescribeInstances" -> describeInstances(q, p, x);
            case "DescribeInstanceStatus" -> describeInstanceStatus(q, p, x);
            case "TerminateInstances" -> changeState(q, p, x, Command.TerminateInstances::new);
            case "StopInstances" -> changeState(q, p, x, Command.StopInstances::new);
            case "StartInstances" -> changeState(q, p, x, Command.StartInstances::new);
            case "RebootInstances" -> {
                List<InstanceId> ids = instanceIds(q, true);
                loop.leader(c -> {
                    ids.forEach(id -> visible(c.state(), p, id));
                    return submit(c, new Command.RebootInstances(ids));
                });
                x.leaf("return", true);
            }
            case "DescribeAvailabilityZones" -> describeZones(q, x);
            case "DescribeRegions" -> describeRegions(q, x, ctx);
            case "DescribeImages" -> describeImages(q, x);
            case "DescribeInstanceTypes" -> describeInstanceTypes(q, x);
            case "CreateTags" -> {
                List<String> resources = q.list("ResourceId");
                List<Tag> tags = q.tags("Tag");
                if (resources.isEmpty()) {
                    throw Ec2Error.missing("ResourceId.N");
                }
                if (tags.isEmpty()) {
                    throw Ec2Error.missing("Tag.N.Key");
                }
                Map<String, String> set = new TreeMap<>();
                tags.forEach(t -> set.put(t.key(), t.value() == null ? "" : t.value()));
                loop.leader(c -> submit(c, new Command.CreateTags(p.scope(), resources, set)));
                x.leaf("return", true);
            }
            case "DeleteTags" -> {
                List<String> resources = q.list("ResourceId");
                if (resources.isEmpty()) {
                    throw Ec2Error.missing("ResourceId.N");
                }
                List<Tag> tags = q.tags("Tag");
                loop.leader(c -> submit(c, new Command.DeleteTags(p.scope(), resources, tags)));
                x.leaf("return", true);
            }
            case "DescribeTags" -> describeTags(q, p, x);
            case "CreateKeyPair" -> {
                String name = q.required("KeyName");
                String type = q.get("KeyType") == null ? "rsa" : q.get("KeyType");
                if (q.get("KeyFormat") != null && !"pem".equals(q.get("KeyFormat"))) {
                    throw Ec2Error.invalid("Value (" + q.get("KeyFormat") + ") for parameter KeyFormat is invalid. Expected pem.");
                }
                // Refuse a duplicate before spending a key generation on it (the write checks again).
                if (loop.call(v -> v.state().keyPair(p.account(), name) != null)) {
                    throw new Ec2Error(400, "InvalidKeyPair.Duplicate", "the key pair '" + name + "' already exists");
                }
                KeyMaterial.Pair pair = KeyMaterial.generate(type);
                KeyPair k = (KeyPair) loop.leader(c -> submit(c, new Command.CreateKeyPair(p.account(), name, pair.type(),
                        pair.fingerprint(), pair.publicKey())));
                x.leaf("keyName", k.name()).leaf("keyFingerprint", k.fingerprint()).leaf("keyMaterial", pair.privatePem())
                        .leaf("keyPairId", k.id());
            }
            case "ImportKeyPair" -> {
                String name = q.required("KeyName");
                String material;
                try {
                    material = new String(Base64.getMimeDecoder().decode(q.required("PublicKeyMaterial")), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new Ec2Error(400, "InvalidKey.Format", "PublicKeyMaterial must be base64");
                }
                KeyMaterial.Pair pair = KeyMaterial.parsePublic(material);
                KeyPair k = (KeyPair) loop.leader(c -> submit(c, new Command.CreateKeyPair(p.account(), name, pair.type(),
                        pair.fingerprint(), pair.publicKey())));
                x.leaf("keyName", k.name()).leaf("keyFingerprint", k.fingerprint()).leaf("keyPairId", k.id());
            }
            case "DescribeKeyPairs" -> describeKeyPairs(q, p, x);
            case "DeleteKeyPair" -> {
                String name = q.get("KeyName");
                String id = q.get("KeyPairId");
                if (name == null && id == null) {
                    throw Ec2Error.missing("KeyName");
                }
                @SuppressWarnings("unchecked")
                List<String> deleted = (List<String>) loop.leader(c -> submit(c, new Command.DeleteKeyPair(p.account(), name, id)));
                x.leaf("return", true);
                if (!deleted.isEmpty()) {
                    x.leaf("keyPairId", deleted.get(0));
                }
            }
            case "DescribeAccountAttributes" -> describeAccountAttributes(q, x);
            default -> throw UNSUPPORTED.contains(action)
                    ? new Ec2Error(400, "UnsupportedOperation", "The action " + action + " is not supported by this endpoint")
                    : new Ec2Error(400, "InvalidAction", "The action " + action + " is not valid for this web service.");
        }
        return x.finish();
    }

    // ---- instances ---------------------------------------------------------------------------------

    private void runInstances(QueryParams q, Principal p, Xml x) {
        ImageId image = new ImageId(q.required("ImageId"));
        Integer min = q.integer("MinCount");
        Integer max = q.integer("MaxCount");
        if (min == null) {
            throw Ec2Error.missing("MinCount");
        }
        if (max == null) {
            throw Ec2Error.missing("MaxCount");
        }
        if (min < 1 || max < min || max > ComputeWrites.MAX_COUNT_PER_REQUEST) {
            throw Ec2Error.invalid("MinCount and MaxCount must satisfy 1 <= MinCount <= MaxCount <= "
                    + ComputeWrites.MAX_COUNT_PER_REQUEST + " (got " + min + " and " + max + ")");
        }
        String typeName = q.get("InstanceType");
        String zoneName = q.get("Placement.AvailabilityZone");
        String keyName = q.get("KeyName");
        String userData = q.get("UserData");
        String clientToken = q.get("ClientToken");
        Map<String, String> tags = new TreeMap<>();
        for (Map<String, String> spec : q.members("TagSpecification").values()) {
            String type = spec.get("ResourceType");
            if (!"instance".equals(type)) {
                throw Ec2Error.invalid("TagSpecification ResourceType '" + type + "' is not supported here (instance only)");
            }
            for (Tag t : QueryParams.tags(QueryParams.members(spec, "Tag"))) {
                tags.put(t.key(), t.value() == null ? "" : t.value());
            }
        }
        long perInstance = 600 + (userData == null ? 0 : userData.length())
                + tags.entrySet().stream().mapToLong(e -> e.getKey().length() + e.getValue().length() + 8).sum();
        if (perInstance * max > MAX_RUN_BYTES) {
            throw Ec2Error.invalid("this request would record about " + perInstance * max / 1024 + " KiB (user data and tags"
                    + " are kept with each instance); ask for fewer instances per request (at most "
                    + MAX_RUN_BYTES / perInstance + " with this user data and these tags)");
        }
        @SuppressWarnings("unchecked")
        List<Row> rows = loop.leader(c -> {
            CloudState s = c.state();
            if (!s.images().containsKey(image)) {
                throw new Ec2Error(400, "InvalidAMIID.NotFound", "The image id '[" + image + "]' does not exist");
            }
            InstanceTypeId type = typeName != null ? new InstanceTypeId(typeName) : smallestType(s);
            if (!s.instanceTypes().containsKey(type)) {
                throw Ec2Error.invalid("The instance type '" + typeName + "' does not exist (see DescribeInstanceTypes)");
            }
            ZoneId zone = zoneName == null ? null : new ZoneId(zoneName);
            if (zone != null && !s.zones().containsKey(zone)) {
                throw Ec2Error.invalid("Invalid availability zone: [" + zoneName + "]");
            }
            if (keyName != null && s.keyPair(p.account(), keyName) == null) {
                throw new Ec2Error(400, "InvalidKeyPair.NotFound", "The key pair '" + keyName + "' does not exist");
            }
            List<InstanceId> ids = (List<InstanceId>) submit(c, new Command.RunInstances(p.account(), type, image, zone,
                    max, 100, null, null, clientToken, min, keyName, userData, tags));
            return ids.stream().map(id -> Row.of(s, s.instance(id))).toList();
        });
        Instance first = rows.get(0).instance();
        x.leaf("reservationId", first.launch() == null ? null : first.launch().reservation()).leaf("ownerId", first.tenant())
                .empty("groupSet").open("instancesSet");
        rows.forEach(r -> r.write(x));
        x.close();
    }

    private static InstanceTypeId smallestType(CloudState s) {
        return s.instanceTypes().values().stream()
                .min(Comparator.comparingInt((InstanceType t) -> t.resources().vcpus()).thenComparingLong(t -> t.resources().memMiB()))
                .map(InstanceType::id).orElseThrow(() -> Ec2Error.invalid("this cloud defines no instance type"));
    }

    private void describeInstances(QueryParams q, Principal p, Xml x) {
        List<InstanceId> ids = instanceIds(q, false);
        Integer maxResults = maxResults(q, ids, 5, 1000);
        Filters filters = new Filters(q.filters(), INSTANCE_FILTERS, true);
        String token = q.get("NextToken");
        // Copied on the loop, filtered here: a costly filter costs this request only.
        List<Row> visible = loop.call(v -> select(v.state(), p, ids).stream().map(i -> Row.of(v.state(), i)).toList());
        Page<Row> page = Page.of("instances", visible.stream().filter(r -> filters.matches(r::filterValues)).toList(), Row::key,
                maxResults, token);
        x.open("reservationSet");
        // Consecutive instances of one reservation are one item, as EC2 groups them.
        String current = null;
        for (Row r : page.items()) {
            String reservation = r.reservation();
            if (!reservation.equals(current)) {
                if (current != null) {
                    x.close().close();
                }
                current = reservation;
                x.open("item").leaf("reservationId", reservation).leaf("ownerId", r.instance().tenant()).empty("groupSet")
                        .open("instancesSet");
            }
            r.write(x);
        }
        if (current != null) {
            x.close().close();
        }
        x.close().leaf("nextToken", page.next());
    }

    private void describeInstanceStatus(QueryParams q, Principal p, Xml x) {
        List<InstanceId> ids = instanceIds(q, false);
        Integer maxResults = maxResults(q, ids, 5, 1000);
        boolean all = q.bool("IncludeAllInstances");
        Filters filters = new Filters(q.filters(), STATUS_FILTERS, false);
        String token = q.get("NextToken");
        List<Row> visible = loop.call(v -> select(v.state(), p, ids).stream()
                .filter(i -> all || i.state() == InstanceState.RUNNING).map(i -> Row.of(v.state(), i)).toList());
        Page<Row> page = Page.of("status", visible.stream().filter(r -> filters.matches(r::statusValues)).toList(), Row::key,
                maxResults, token);
        x.open("instanceStatusSet");
        for (Row r : page.items()) {
            Instance i = r.instance();
            x.open("item").leaf("instanceId", i.id()).leaf("availabilityZone", i.zone())
                    .open("instanceState").leaf("code", i.state().ec2Code()).leaf("name", i.state().wire()).close();
            status(x, "systemStatus", r.status());
            status(x, "instanceStatus", r.status());
            x.empty("eventsSet").close();
        }
        x.close().leaf("nextToken", page.next());
    }

    private static void status(Xml x, String element, String status) {
        x.open(element).leaf("status", status);
        if (!"not-applicable".equals(status)) {
            x.open("details").open("item").leaf("name", "reachability").leaf("status", reachability(status)).close().close();
        }
        x.close();
    }

    private static String reachability(String status) {
        return switch (status) {
            case "ok" -> "passed";
            case "impaired" -> "failed";
            default -> "initializing";
        };
    }

    private void changeState(QueryParams q, Principal p, Xml x, Function<List<InstanceId>, Command> command) {
        List<InstanceId> ids = instanceIds(q, true);
        record Change(InstanceId id, InstanceState before, InstanceState after) {}
        List<Change> changes = loop.leader(c -> {
            List<InstanceState> before = ids.stream().map(id -> visible(c.state(), p, id).state()).toList();
            submit(c, command.apply(ids));
            List<Change> out = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                out.add(new Change(ids.get(i), before.get(i), c.state().instance(ids.get(i)).state()));
            }
            return out;
        });
        x.open("instancesSet");
        for (Change ch : changes) {
            x.open("item").leaf("instanceId", ch.id())
                    .open("currentState").leaf("code", ch.after().ec2Code()).leaf("name", ch.after().wire()).close()
                    .open("previousState").leaf("code", ch.before().ec2Code()).leaf("name", ch.before().wire()).close()
                    .close();
        }
        x.close();
    }

    /** {@code InstanceId.N}, each well formed. */
    private static List<InstanceId> instanceIds(QueryParams q, boolean required) {
        List<String> given = q.list("InstanceId");
        if (required && given.isEmpty()) {
            throw Ec2Error.missing("InstanceId.N");
        }
        List<InstanceId> ids = new ArrayList<>();
        for (String id : new LinkedHashSet<>(given)) {
            if (!INSTANCE_ID.matcher(id).matches()) {
                throw new Ec2Error(400, "InvalidInstanceID.Malformed", "Invalid id: \"" + id + "\"");
            }
            ids.add(new InstanceId(id));
        }
        return ids;
    }

    /** The instances asked for (all of them must be visible), or every visible one, in creation order. */
    private static List<Instance> select(CloudState s, Principal p, List<InstanceId> ids) {
        if (!ids.isEmpty()) {
            return ids.stream().map(id -> visible(s, p, id)).toList();
        }
        return s.instances().values().stream().filter(i -> p.sees(i.tenant())).toList();
    }

    /** The instance, if {@code p} may see it; another tenant's answers exactly like one that does not exist. */
    private static Instance visible(CloudState s, Principal p, InstanceId id) {
        Instance i = s.instance(id);
        if (i == null || !p.sees(i.tenant())) {
            throw new Ec2Error(400, "InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
        }
        return i;
    }

    private static Integer maxResults(QueryParams q, List<?> ids, int min, int max) {
        Integer n = q.integer("MaxResults");
        if (n == null) {
            return null;
        }
        if (!ids.isEmpty()) {
            throw new Ec2Error(400, "InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
        }
        if (n < min || n > max) {
            throw Ec2Error.invalid("Value (" + n + ") for parameter maxResults is invalid. Expect a number between " + min + " and " + max + ".");
        }
        return n;
    }

    /** An instance with what its answer shows beside the record: tags, address, host health. */
    record Row(Instance instance, Map<String, String> tags, String address, HostState hostState) {
        static Row of(CloudState s, Instance i) {
            Host h = i.host() == null ? null : s.host(i.host());
            return new Row(i, Map.copyOf(s.tags(i.id().value())), i.address(),
                    h == null ? null : h.state());
        }

        /** Creation order, as a string that sorts the same way: the pagination key. */
        String key() {
            return String.format("%019d", instance.seq());
        }

        String reservation() {
            return instance.launch() == null ? "r-" + instance.id().value().substring(2) : instance.launch().reservation();
        }

        String privateIp() {
            if (address == null) {
                return null;
            }
            int colon = address.lastIndexOf(':');
            return colon < 0 ? address : address.substring(0, colon);
        }

        String privateDns() {
            String ip = privateIp();
            return ip == null ? null : "ip-" + ip.replace('.', '-') + ".phare.internal";
        }

        /** EC2's status checks, from the instance's state and its host's health. */
        String status() {
            return switch (instance.state()) {
                case RUNNING -> hostState == HostState.READY ? "ok" : "impaired";
                case PENDING -> "initializing";
                default -> "not-applicable";
            };
        }

        List<String> filterValues(String name) {
            Instance i = instance;
            if (name.startsWith("tag:")) {
                String v = tags.get(name.substring(4));
                return v == null ? List.of() : List.of(v);
            }
            return switch (name) {
                case "instance-id" -> List.of(i.id().value());
                case "instance-state-name" -> List.of(i.state().wire());
                case "instance-state-code" -> List.of(Integer.toString(i.state().ec2Code()));
                case "availability-zone" -> i.zone() == null ? List.of() : List.of(i.zone().value());
                case "instance-type" -> List.of(i.type().value());
                case "image-id" -> List.of(i.image().value());
                case "key-name" -> i.launch() == null || i.launch().keyName() == null ? List.of() : List.of(i.launch().keyName());
                case "tag-key" -> List.copyOf(tags.keySet());
                case "tag-value" -> List.copyOf(tags.values());
                case "private-ip-address" -> privateIp() == null ? List.of() : List.of(privateIp());
                case "private-dns-name" -> privateDns() == null ? List.of() : List.of(privateDns());
                case "reservation-id" -> List.of(reservation());
                case "client-token" -> i.clientToken() == null ? List.of() : List.of(i.clientToken());
                case "launch-index" -> List.of(Integer.toString(i.launch() == null ? 0 : i.launch().index()));
                default -> List.of();
            };
        }

        List<String> statusValues(String name) {
            return switch (name) {
                case "instance-status.status", "system-status.status" -> List.of(status());
                case "instance-status.reachability", "system-status.reachability" -> List.of(reachability(status()));
                default -> filterValues(name);
            };
        }

        void write(Xml x) {
            Instance i = instance;
            long launched = i.launchedAtMs() > 0 ? i.launchedAtMs() : i.createdAtMs();
            x.open("item").leaf("instanceId", i.id()).leaf("imageId", i.image())
                    .open("instanceState").leaf("code", i.state().ec2Code()).leaf("name", i.state().wire()).close()
                    .leaf("privateDnsName", privateDns() == null ? "" : privateDns()).leaf("dnsName", "")
                    .leaf("reason", i.pendingDetail() == null ? "" : i.pendingDetail())
                    .leaf("keyName", i.launch() == null ? null : i.launch().keyName())
                    .leaf("amiLaunchIndex", i.launch() == null ? 0 : i.launch().index())
                    .empty("productCodes").leaf("instanceType", i.type())
                    .leaf("launchTime", Instant.ofEpochMilli(launched).toString())
                    .open("placement").leaf("availabilityZone", i.zone()).leaf("groupName", i.group() == null ? "" : i.group())
                    .leaf("tenancy", "default").close()
                    .open("monitoring").leaf("state", "disabled").close()
                    .leaf("privateIpAddress", privateIp())
                    .empty("groupSet").leaf("architecture", "x86_64").leaf("rootDeviceType", "ebs")
                    .empty("blockDeviceMapping").leaf("virtualizationType", "hvm")
                    .leaf("clientToken", i.clientToken() == null ? "" : i.clientToken());
            tagSet(x, tags);
            x.close();
        }
    }

    private static void tagSet(Xml x, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        x.open("tagSet");
        new TreeMap<>(tags).forEach((k, v) -> x.open("item").leaf("key", k).leaf("value", v).close());
        x.close();
    }

    // ---- catalogue ----------------------------------------------------------------------------------

    private void describeZones(QueryParams q, Xml x) {
        List<String> names = q.list("ZoneName");
        Filters filters = new Filters(q.filters(), Set.of("zone-name", "region-name", "state", "zone-id", "zone-type"), false);
        record ZoneRow(Zone zone, String state, String zoneId) {}
        List<ZoneRow> zones = loop.call(v -> {
            CloudState s = v.state();
            for (String n : names) {
                if (!s.zones().containsKey(new ZoneId(n))) {
                    throw Ec2Error.invalid("The zone '" + n + "' does not exist");
                }
            }
            List<ZoneRow> out = new ArrayList<>();
            int index = 0;
            for (Zone z : s.zones().values()) {
                index++;
                List<HostId> hosts = s.hostsIn(z.id());
                boolean anyReady = hosts.stream().anyMatch(h -> s.host(h).state() == HostState.READY);
                String state = hosts.isEmpty() || anyReady ? "available" : "unavailable";
                out.add(new ZoneRow(z, state, z.region() + "-az" + index));
            }
            return out;
        });
        x.open("availabilityZoneInfo");
        for (ZoneRow z : zones) {
            String name = z.zone().id().value();
            Map<String, List<String>> values = Map.of("zone-name", List.of(name), "region-name", List.of(z.zone().region().value()),
                    "state", List.of(z.state()), "zone-id", List.of(z.zoneId()), "zone-type", List.of("availability-zone"));
            if ((!names.isEmpty() && !names.contains(name)) || !filters.matches(n -> values.getOrDefault(n, List.of()))) {
                continue;
            }
            x.open("item").leaf("zoneName", name).leaf("zoneState", z.state()).leaf("regionName", z.zone().region())
                    .leaf("zoneId", z.zoneId()).leaf("zoneType", "availability-zone").leaf("optInStatus", "opt-in-not-required")
                    .leaf("groupName", z.zone().region()).leaf("networkBorderGroup", z.zone().region()).empty("messageSet").close();
        }
        x.close();
    }

    private void describeRegions(QueryParams q, Xml x, Context ctx) {
        List<String> names = q.list("RegionName");
        Filters filters = new Filters(q.filters(), Set.of("region-name", "endpoint", "opt-in-status"), false);
        List<String> regions = loop.call(v -> v.state().regions().keySet().stream().map(Object::toString).toList());
        for (String n : names) {
            if (!regions.contains(n)) {
                throw Ec2Error.invalid("Invalid region: " + n);
            }
        }
        String endpoint = ctx.host() == null ? "localhost" : ctx.host();
        x.open("regionInfo");
        for (String r : regions) {
            Map<String, List<String>> values = Map.of("region-name", List.of(r), "endpoint", List.of(endpoint),
                    "opt-in-status", List.of("opt-in-not-required"));
            if ((!names.isEmpty() && !names.contains(r)) || !filters.matches(n -> values.getOrDefault(n, List.of()))) {
                continue;
            }
            x.open("item").leaf("regionName", r).leaf("regionEndpoint", endpoint).leaf("optInStatus", "opt-in-not-required").close();
        }
        x.close();
    }

    private void describeImages(QueryParams q, Xml x) {
        List<String> ids = q.list("ImageId");
        Filters filters = new Filters(q.filters(), Set.of("image-id", "name", "state", "architecture", "image-type",
                "is-public", "description"), false);
        List<Image> images = loop.call(v -> {
            for (String id : ids) {
                if (!v.state().images().containsKey(new ImageId(id))) {
                    throw new Ec2Error(400, "InvalidAMIID.NotFound", "The image id '[" + id + "]' does not exist");
                }
            }
            return List.copyOf(v.state().images().values());
        });
        x.open("imagesSet");
        for (Image i : images) {
            String id = i.id().value();
            Map<String, List<String>> values = Map.of("image-id", List.of(id), "name", List.of(id), "state", List.of("available"),
                    "architecture", List.of("x86_64"), "image-type", List.of("machine"), "is-public", List.of("true"),
                    "description", List.of(i.description() == null ? "" : i.description()));
            if ((!ids.isEmpty() && !ids.contains(id)) || !filters.matches(n -> values.getOrDefault(n, List.of()))) {
                continue;
            }
            x.open("item").leaf("imageId", id).leaf("imageLocation", "phare/" + id).leaf("imageState", "available")
                    .leaf("imageOwnerId", "phare").leaf("isPublic", true).leaf("architecture", "x86_64")
                    .leaf("imageType", "machine").leaf("name", id).leaf("description", i.description())
                    .leaf("rootDeviceType", "ebs").leaf("virtualizationType", "hvm").close();
        }
        x.close();
    }

    private void describeInstanceTypes(QueryParams q, Xml x) {
        List<String> names = q.list("InstanceType");
        Integer maxResults = maxResults(q, List.of(), 5, 100);
        Filters filters = new Filters(q.filters(), Set.of("instance-type", "vcpu-info.default-vcpus",
                "memory-info.size-in-mib", "current-generation"), false);
        String token = q.get("NextToken");
        List<InstanceType> defined = loop.call(v -> {
            for (String n : names) {
                if (!v.state().instanceTypes().containsKey(new InstanceTypeId(n))) {
                    throw Ec2Error.invalid("The following supplied instance types do not exist: [" + n + "]");
                }
            }
            return List.copyOf(v.state().instanceTypes().values());
        });
        List<InstanceType> matching = defined.stream()
                .filter(t -> names.isEmpty() || names.contains(t.id().value()))
                .filter(t -> filters.matches(n -> switch (n) {
                    case "instance-type" -> List.of(t.id().value());
                    case "vcpu-info.default-vcpus" -> List.of(Integer.toString(t.resources().vcpus()));
                    case "memory-info.size-in-mib" -> List.of(Long.toString(t.resources().memMiB()));
                    case "current-generation" -> List.of("true");
                    default -> List.of();
                })).sorted(Comparator.comparing(t -> t.id().value())).toList();
        Page<InstanceType> page = Page.of("types", matching, t -> t.id().value(), maxResults, token);
        x.open("instanceTypeSet");
        for (InstanceType t : page.items()) {
            x.open("item").leaf("instanceType", t.id()).leaf("currentGeneration", true).leaf("freeTierEligible", false)
                    .open("supportedUsageClasses").leaf("item", "on-demand").close()
                    .open("supportedRootDeviceTypes").leaf("item", "ebs").close()
                    .open("supportedVirtualizationTypes").leaf("item", "hvm").close()
                    .leaf("bareMetal", false).leaf("hypervisor", "xen")
                    .open("processorInfo").open("supportedArchitectures").leaf("item", "x86_64").close().close()
                    .open("vCpuInfo").leaf("defaultVCpus", t.resources().vcpus()).close()
                    .open("memoryInfo").leaf("sizeInMiB", t.resources().memMiB()).close()
                    .leaf("instanceStorageSupported", false).leaf("autoRecoverySupported", true).close();
        }
        x.close().leaf("nextToken", page.next());
    }

    private void describeAccountAttributes(QueryParams q, Xml x) {
        Map<String, List<String>> known = new LinkedHashMap<>();
        known.put("supported-platforms", List.of("VPC"));
        known.put("default-vpc", List.of("none"));
        known.put("max-elastic-ips", List.of("0"));
        known.put("vpc-max-elastic-ips", List.of("0"));
        List<String> asked = q.list("AttributeName");
        for (String a : asked) {
            if (!known.containsKey(a)) {
                throw Ec2Error.invalid("The attribute '" + a + "' is not known (" + String.join(", ", known.keySet()) + ")");
            }
        }
        x.open("accountAttributeSet");
        known.forEach((name, values) -> {
            if (asked.isEmpty() || asked.contains(name)) {
                x.open("item").leaf("attributeName", name).open("attributeValueSet");
                values.forEach(v -> x.open("item").leaf("attributeValue", v).close());
                x.close().close();
            }
        });
        x.close();
    }

    // ---- tags and key pairs ------------------------------------------------------------------------

    private void describeTags(QueryParams q, Principal p, Xml x) {
        Integer maxResults = maxResults(q, List.of(), 5, 1000);
        Filters filters = new Filters(q.filters(), Set.of("resource-id", "resource-type", "key", "value"), false);
        String token = q.get("NextToken");
        record TagRow(String resource, String type, String key, String value) {}
        List<TagRow> visible = loop.call(v -> {
            CloudState s = v.state();
            List<TagRow> rows = new ArrayList<>();
            s.allTags().forEach((resource, tags) -> {
                TenantId owner = owner(s, resource);
                if (owner != null && p.sees(owner)) {
                    String type = resource.startsWith("i-") ? "instance" : "key-pair";
                    tags.forEach((k, val) -> rows.add(new TagRow(resource, type, k, val)));
                }
            });
            return rows;
        });
        Page<TagRow> page = Page.of("tags", visible.stream().filter(t -> {
            Map<String, List<String>> values = Map.of("resource-id", List.of(t.resource()), "resource-type", List.of(t.type()),
                    "key", List.of(t.key()), "value", List.of(t.value()));
            return filters.matches(n -> values.getOrDefault(n, List.of()));
        }).toList(), t -> t.resource() + "\u0000" + t.key(), maxResults, token);
        x.open("tagSet");
        page.items().forEach(t -> x.open("item").leaf("resourceId", t.resource()).leaf("resourceType", t.type())
                .leaf("key", t.key()).leaf("value", t.value()).close());
        x.close().leaf("nextToken", page.next());
    }

    private static TenantId owner(CloudState s, String resource) {
        if (resource.startsWith("i-")) {
            Instance i = s.instances().get(new InstanceId(resource));
            return i == null ? null : i.tenant();
        }
        KeyPair k = s.keyPairs().get(resource);
        return k == null ? null : k.tenant();
    }

    private void describeKeyPairs(QueryParams q, Principal p, Xml x) {
        List<String> names = q.list("KeyName");
        List<String> ids = q.list("KeyPairId");
        boolean includePublic = q.bool("IncludePublicKey");
        Filters filters = new Filters(q.filters(), Set.of("key-name", "key-pair-id", "fingerprint", "key-type", "tag-key"), true);
        record KeyRow(KeyPair key, Map<String, String> tags) {}
        List<KeyRow> keys = loop.call(v -> {
            CloudState s = v.state();
            List<KeyPair> mine = s.keyPairs().values().stream().filter(k -> p.sees(k.tenant())).toList();
            for (String n : names) {
                if (mine.stream().noneMatch(k -> k.name().equals(n))) {
                    throw new Ec2Error(400, "InvalidKeyPair.NotFound", "The key pair '" + n + "' does not exist");
                }
            }
            for (String id : ids) {
                if (mine.stream().noneMatch(k -> k.id().equals(id))) {
                    throw new Ec2Error(400, "InvalidKeyPair.NotFound", "The key pair ID '" + id + "' does not exist");
                }
            }
            return mine.stream().map(k -> new KeyRow(k, Map.copyOf(s.tags(k.id())))).toList();
        });
        x.open("keySet");
        for (KeyRow r : keys) {
            KeyPair k = r.key();
            if ((!names.isEmpty() && !names.contains(k.name())) || (!ids.isEmpty() && !ids.contains(k.id()))) {
                continue;
            }
            boolean match = filters.matches(n -> {
                if (n.startsWith("tag:")) {
                    String v = r.tags().get(n.substring(4));
                    return v == null ? List.of() : List.of(v);
                }
                return switch (n) {
                    case "key-name" -> List.of(k.name());
                    case "key-pair-id" -> List.of(k.id());
                    case "fingerprint" -> List.of(k.fingerprint());
                    case "key-type" -> List.of(k.type());
                    case "tag-key" -> List.copyOf(r.tags().keySet());
                    default -> List.of();
                };
            });
            if (!match) {
                continue;
            }
            x.open("item").leaf("keyPairId", k.id()).leaf("keyName", k.name()).leaf("keyFingerprint", k.fingerprint())
                    .leaf("keyType", k.type()).leaf("createTime", Instant.ofEpochMilli(k.createdAtMs()).toString());
            if (includePublic) {
                x.leaf("publicKey", k.publicKey());
            }
            tagSet(x, r.tags());
            x.close();
        }
        x.close();
    }

    // ---- shared ----------------------------------------------------------------------------------------

    /** Submits on the leader's controller; a refusal becomes EC2's error. */
    private static Object submit(Controller c, Command command) {
        return switch (c.submit(command)) {
            case Result.Ok ok -> ok.value();
            case Result.Rejected r -> throw refusal(r);
        };
    }

    static Ec2Error refusal(Result.Rejected r) {
        return switch (r.code()) {
            case "InsufficientCapacity", "FailoverReserve", "AntiAffinity", "NoHosts" ->
                    new Ec2Error(500, "InsufficientInstanceCapacity", "We currently do not have sufficient capacity in the"
                            + " Availability Zone you requested: " + r.message());
            case "Conflict" -> new Ec2Error(400, "IncorrectInstanceState", r.message());
            case "NotFound" -> Ec2Error.invalid(r.message());
            default -> new Ec2Error(400, r.code(), r.message());
        };
    }

    /**
     * One page of a list sorted by a string key: at most {@code max} items (all when null) whose key follows the
     * token's. Tokens are opaque to clients (base64 of the last key given); the item they name may have changed or
     * gone since, the next page still starts right after it.
     */
    record Page<T>(List<T> items, String next) {
        /** @param list names the list, so that a token of one list is refused by another */
        static <T> Page<T> of(String list, List<T> sorted, Function<T, String> key, Integer max, String token) {
            int start = 0;
            String prefix = list + ":";
            if (token != null && !token.isEmpty()) {
                String after;
                try {
                    after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    after = "";
                }
                if (!after.startsWith(prefix)) {
                    throw new Ec2Error(400, "InvalidPaginationToken", "The pagination token '" + token + "' is invalid");
                }
                after = after.substring(prefix.length());
                int lo = 0;
                int hi = sorted.size();
                while (lo < hi) { // the first key greater than the token's
                    int mid = (lo + hi) >>> 1;
                    if (key.apply(sorted.get(mid)).compareTo(after) <= 0) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                start = lo;
            }
            int end = max == null ? sorted.size() : Math.min(sorted.size(), start + max);
            String next = end < sorted.size() && end > start ? Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((prefix + key.apply(sorted.get(end - 1))).getBytes(StandardCharsets.UTF_8)) : null;
            return new Page<>(List.copyOf(sorted.subList(start, end)), next);
        }
    }
}
