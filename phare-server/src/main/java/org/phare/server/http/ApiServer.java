package org.phare.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.phare.api.Credentials;
import org.phare.api.Json;
import org.phare.api.SigV4;
import org.phare.core.agent.Protocol;
import org.phare.core.control.Command;
import org.phare.core.model.Account;
import org.phare.core.control.Result;
import org.phare.core.model.GroupId;
import org.phare.core.model.Image;
import org.phare.core.model.InstanceType;
import org.phare.core.model.Region;
import org.phare.core.model.Site;
import org.phare.core.model.Zone;
import org.phare.core.model.HostId;
import org.phare.core.model.ImageId;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.Schedulability;
import org.phare.core.model.TenantId;
import org.phare.core.model.ZoneId;
import org.phare.core.state.CloudState;
import org.phare.server.auth.Authenticator;
import org.phare.server.auth.KeyIssuer;
import org.phare.server.auth.SecretSealer;
import org.phare.server.auth.MemberChannel;
import org.phare.server.ec2.Ec2Api;
import org.phare.server.forward.Forwarder;
import org.phare.server.forward.ReadYourWrites;
import org.phare.server.runtime.ControlLoop;
import org.phare.server.store.MemberInfo;
import org.phare.server.store.RatisLog;

/**
 * The HTTP face of a server: the native JSON API under {@code /v1}, the agent protocol under {@code /agent/v1},
 * {@code /healthz} and {@code /readyz}. Every handler runs its work on the {@link ControlLoop}; errors are
 * {@code {"error": {"code", "message"}}} with a 4xx for bad input, never a stack trace.
 *
 * <p>Any member answers every client. Reads are served from this member's replica (and wait for it to hold the
 * client's last write when asked: {@link ReadYourWrites}); a write that reaches a member that does not lead is
 * forwarded to the leader ({@link Forwarder}) and the leader's answer returned as it is. The agent protocol is the
 * exception: it keeps answering {@code 307} with the leader's address (or {@code 503 NoLeader}) at once.
 */
public final class ApiServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiServer.class);
    /** Largest accepted request body: a heartbeat of a full host is a few KiB. */
    public static final long MAX_BODY_BYTES = 1 << 20;
    public static final int MAX_PAGE = 1000;
    public static final int DEFAULT_PAGE = 100;

    /** The OpenAPI document, kept beside the routes; a test checks that every route is in it. */
    static final String OPENAPI = readOpenApi();

    private final ControlLoop loop;
    private final RatisLog log;
    private final SecretSealer sealer;
    private final Authenticator auth;
    private final MemberChannel channel;
    private final ReadYourWrites reads;
    private final Forwarder forwarder;
    private final Metrics metrics;
    private final org.phare.core.control.ControllerConfig config;
    private final Javalin app;
    /** Whether this member may renew agents' leases: it leads and a majority answers it. */
    private volatile BooleanSupplier quorum = () -> false;

    /** @param sealer seals access-key secrets before they enter the log, and opens them to verify signatures */
    public ApiServer(ControlLoop loop, RatisLog log, SecretSealer sealer, String host, int port) {
        this(loop, log, sealer, host, port, null);
    }

    /**
     * @param config the controllers' configuration (region, placement), with which any member answers how much room
     *               is left for each instance type; null: the defaults
     */
    public ApiServer(ControlLoop loop, RatisLog log, SecretSealer sealer, String host, int port,
                     org.phare.core.control.ControllerConfig controllers) {
        this.loop = loop;
        this.config = controllers;
        this.log = log;
        this.sealer = java.util.Objects.requireNonNull(sealer, "sealer");
        this.auth = new Authenticator(loop, sealer, java.time.Instant::now);
        this.channel = MemberChannel.of(sealer, log.nodeId(), java.time.Instant::now);
        this.reads = new ReadYourWrites(loop);
        this.forwarder = new Forwarder(log, channel, reads);
        this.metrics = new Metrics(loop);
        metrics.forwarding(forwarder);
        loop.observer(metrics);
        this.app = Javalin.create(config -> {
            config.jetty.host = host;
            config.jetty.port = port;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(Json.mapper(), true));
            routes(config.routes);
        });
    }

    /** How the leadership loop tells whether this member leads with a majority in reach. */
    public void leadership(BooleanSupplier quorum) {
        this.quorum = quorum;
    }

    public ApiServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        forwarder.close();
    }

    private void heartbeat(Context ctx) throws Exception {
        Protocol.Heartbeat hb = body(ctx, Protocol.Heartbeat.class);
        requireQuorum();
        // Answered at once: the reply comes from the committed state, and what the beat reported (an instance seen
        // running) commits with the next group; a heartbeat never waits for anyone's commit.
        ctx.json(loop.callNoWait(v -> v.leader().heartbeat(hb)));
    }

    private final HttpDate httpDate = new HttpDate(java.time.Clock.systemUTC());

    private void routes(io.javalin.config.RoutesConfig r) {
        // Every answer carries Date (SDKs correct their clock skew with it); every request but the probes, the
        // metrics and the API's description is signed (the EC2 endpoint checks its own, to answer in its shape).
        // A request a member forwarded carries its verified identity instead (MemberChannel); one from outside that
        // carries those headers is refused, whatever the path.
        r.before(ctx -> {
            ctx.header("Date", httpDate.now());
            boolean forwarding = forwarding(ctx);
            if ("/".equals(ctx.path()) || (Access.open(ctx.path()) && !forwarding)) {
                return;
            }
            Authenticator.Principal p;
            try {
                p = principal(ctx, Credentials.SERVICE);
            } catch (Authenticator.Refused e) {
                throw new ApiError(e.status(), e.code(), e.getMessage());
            }
            Access.check(p, ctx.method().name(), ctx.path());
            ctx.attribute(Access.PRINCIPAL, p);
            if ("GET".equals(ctx.method().name())) {
                long wanted = minIndex(ctx);
                if ("true".equals(ctx.queryParam("consistent"))) {
                    wanted = Math.max(wanted, reads.lastWrite(p.accessKeyId()));
                }
                reads.await(wanted);
            }
        });
        // Every answer says from which state it comes, so that a client may ask another member for no older one.
        r.after(ctx -> {
            noteIntervention(ctx);
            if (ctx.res().getHeader(ReadYourWrites.LOG_INDEX) == null) {
                ctx.header(ReadYourWrites.LOG_INDEX, Long.toString(reads.applied()));
            }
        });
        r.get("/healthz", ctx -> ctx.result("ok"));
        r.get("/v1/openapi.json", ctx -> ctx.contentType("application/json").result(OPENAPI));
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        r.get("/readyz", ctx -> {
            boolean ready = loop.call(v -> v.controller() != null) || (log.leaderId() != null && log.replicaFailure() == null);
            if (!ready) {
                throw new ApiError(503, "NoLeader", "this member knows no leader yet");
            }
            ctx.result("ready");
        });

        r.post("/agent/v1/register", ctx -> {
            Protocol.Registration reg = body(ctx, Protocol.Registration.class);
            requireQuorum();
            ctx.json(loop.leader(c -> {
                try {
                    return c.register(reg);
                } catch (IllegalArgumentException e) {
                    throw new ApiError(400, "InvalidParameterValue", e.getMessage());
                }
            }));
        });
        // Version 2 is the heartbeat that may carry changes instead of whole lists (Protocol.Heartbeat#takesChanges):
        // the same handler, at a path a controller of an earlier release answers 404 to, so that an agent learns
        // whether to send them. Version 1 stays for agents of earlier releases.
        r.post("/agent/v1/heartbeat", this::heartbeat);
        r.post("/agent/v2/heartbeat", this::heartbeat);

        r.get("/v1/instances", ctx -> {
            Authenticator.Principal p = Access.principal(ctx);
            ctx.json(loop.call(v -> page(ctx, v.state().instances().values().stream().filter(i -> p.sees(i.tenant()))
                    .map(i -> Views.InstanceView.of(i)).toList(), Views.InstanceView::id)));
        });
        r.get("/v1/instances/{id}", ctx -> {
            InstanceId id = parse(() -> new InstanceId(ctx.pathParam("id")), "instance id");
            Authenticator.Principal p = Access.principal(ctx);
            ctx.json(loop.call(v -> Views.InstanceView.of(visible(v.state(), p, id))));
        });
        r.post("/v1/instances", ctx -> {
            RunRequest req = body(ctx, RunRequest.class);
            Command.RunInstances cmd = req.toCommand(Access.principal(ctx));
            // Answered from the same loop turn as the write, so the leader's answer always shows what it created.
            List<Views.InstanceView> created = loop.leader(c -> {
                Object value = ok(c.submit(cmd));
                @SuppressWarnings("unchecked")
                List<InstanceId> ids = (List<InstanceId>) value;
                return ids.stream().map(id -> Views.InstanceView.of(c.state().instance(id))).toList();
            });
            ctx.status(201).json(created);
        });
        r.post("/v1/instances/{id}/{action}", ctx -> {
            InstanceId id = parse(() -> new InstanceId(ctx.pathParam("id")), "instance id");
            String action = ctx.pathParam("action");
            Command cmd = switch (action) {
                case "stop" -> new Command.StopInstances(List.of(id));
                case "start" -> new Command.StartInstances(List.of(id));
                case "reboot" -> new Command.RebootInstances(List.of(id));
                case "rename" -> new Command.RenameInstance(id, body(ctx, RenameRequest.class).name());
                default -> throw new ApiError(404, "NotFound", "unknown action '" + action
                        + "' (expected stop, start, reboot or rename)");
            };
            Authenticator.Principal p = Access.principal(ctx);
            ctx.json(loop.leader(c -> {
                visible(c.state(), p, id);
                ok(c.submit(cmd));
                return Views.InstanceView.of(c.state().instance(id));
            }));
        });
        r.delete("/v1/instances/{id}", ctx -> {
            InstanceId id = parse(() -> new InstanceId(ctx.pathParam("id")), "instance id");
            Authenticator.Principal p = Access.principal(ctx);
            ctx.json(loop.leader(c -> {
                visible(c.state(), p, id);
                ok(c.submit(new Command.TerminateInstances(List.of(id))));
                return Views.InstanceView.of(c.state().instance(id));
            }));
        });

        r.get("/v1/hosts", ctx -> ctx.json(read(s -> page(ctx, s.hosts().values().stream()
                .map(h -> Views.HostView.of(h, s)).toList(), Views.HostView::id))));
        r.post("/v1/hosts/{id}/{action}", ctx -> {
            HostId id = parse(() -> new HostId(ctx.pathParam("id")), "host id");
            Schedulability target = switch (ctx.pathParam("action")) {
                case "cordon" -> Schedulability.CORDONED;
                case "uncordon" -> Schedulability.SCHEDULABLE;
                case "drain" -> Schedulability.DRAINING;
                default -> throw new ApiError(404, "NotFound", "unknown action '" + ctx.pathParam("action")
                        + "' (expected cordon, uncordon or drain)");
            };
            ctx.json(loop.leader(c -> {
                ok(c.submit(new Command.SetHostScheduling(id, target, "operator")));
                return Views.HostView.of(c.state().host(id), c.state());
            }));
        });

        r.get("/v1/regions", ctx -> ctx.json(read(s -> new ArrayList<>(s.regions().values()))));
        r.get("/v1/zones", ctx -> ctx.json(read(s -> new ArrayList<>(s.zones().values()))));
        r.get("/v1/sites", ctx -> ctx.json(read(s -> new ArrayList<>(s.sites().values()))));
        r.get("/v1/instance-types", ctx -> ctx.json(read(this::typesWithRoom)));
        r.get("/v1/images", ctx -> ctx.json(read(s -> new ArrayList<>(s.images().values()))));
        // The topology changes through the API too: each definition is a record like any other.
        r.post("/v1/regions", ctx -> define(ctx, Region.class, Command.DefineRegion::new));
        r.post("/v1/zones", ctx -> define(ctx, Zone.class, Command.DefineZone::new));
        r.post("/v1/sites", ctx -> define(ctx, Site.class, Command.DefineSite::new));
        r.post("/v1/instance-types", ctx -> define(ctx, InstanceType.class, Command.DefineInstanceType::new));
        r.post("/v1/images", ctx -> define(ctx, Image.class, Command.DefineImage::new));

        ClusterRoutes.register(r, loop, log);
        // How placement admits new instances here (the failover reserve it keeps): a simulation of this cloud must too.
        r.get("/v1/placement", ctx -> ctx.json(java.util.Map.of("admission",
                (config == null ? org.phare.core.placement.PlacementConfig.defaults() : config.placement()).admission().name()
                        .toLowerCase(java.util.Locale.ROOT).replace('_', '-'))));
        AccountRoutes.register(r, loop, new KeyIssuer(sealer, new java.security.SecureRandom()));
        Ec2Api.register(r, loop, this::principal, ApiServer::signed, forwarder, reads);
        PlanRoutes.register(r, loop);
        StaffRoutes.register(r, loop);
        LevelRoutes.register(r, loop);
        CrisisRoutes.register(r, loop);
        DrillRoutes.register(r, loop, () -> log.members().size());
        r.get("/v1/events", this::events);

        r.exception(ApiError.class, (e, ctx) -> ctx.status(e.status()).json(e.body()));
        r.exception(ControlLoop.NotLeader.class, (e, ctx) -> notLeader(ctx));
        r.exception(ReadYourWrites.Lagging.class, (e, ctx) -> ctx.header("Retry-After", "1").status(503)
                .json(new ApiError(503, "Unavailable", e.getMessage()).body()));
        r.exception(ControlLoop.Busy.class, (e, ctx) ->
                ctx.status(503).json(new ApiError(503, "Unavailable", e.getMessage()).body()));
        r.exception(Exception.class, (e, ctx) ->
                ctx.status(500).json(new ApiError(500, "InternalError", e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())).body()));
        // Javalin's own refusals (no such route, body too large, ...) in the same shape as ours.
        r.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            String code = switch (status) {
                case 404 -> "NotFound";
                case 405 -> "MethodNotAllowed";
                case 413 -> "RequestTooLarge";
                default -> "HttpError";
            };
            String message = status == 404 ? "no route " + ctx.method() + " " + ctx.path()
                    : status == 413 ? "request bodies are limited to " + MAX_BODY_BYTES + " bytes" : e.getMessage();
            ctx.status(status).json(new ApiError(status, code, message).body());
        });
    }

    private static String readOpenApi() {
        try (var in = ApiServer.class.getResourceAsStream("openapi.json")) {
            return new String(java.util.Objects.requireNonNull(in, "openapi.json").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private <T> void define(Context ctx, Class<T> type, Function<T, Command> command) {
        T value = parse(() -> body(ctx, type), type.getSimpleName());
        Command c = command.apply(value);
        ok(loop.leader(ctl -> ctl.submit(c)));
        ctx.status(201).json(value);
    }

    /** The instance, if it exists and {@code p} may see it; another tenant's answers exactly like a missing one. */
    private static Instance visible(CloudState state, Authenticator.Principal p, InstanceId id) {
        Instance i = state.instance(id);
        if (i == null || !p.sees(i.tenant())) {
            throw new ApiError(404, "NotFound", "instance " + id + " does not exist");
        }
        return i;
    }

    /**
     * Who sent the request: the identity a member forwarded it for, when it carries forwarding headers (they must be
     * valid, and the key still active here), else its Signature V4 for {@code service}.
     *
     * @throws Authenticator.Refused if neither holds
     */
    private Authenticator.Principal principal(Context ctx, String service) {
        SigV4.Request request = signed(ctx);
        if (MemberChannel.carries(request)) {
            Authenticator.Principal p = auth.confirm(channel.verify(request));
            ctx.attribute(Forwarder.FORWARDED, Boolean.TRUE);
            return p;
        }
        return auth.authenticate(request, service);
    }

    private static boolean forwarding(Context ctx) {
        var names = ctx.req().getHeaderNames();
        while (names.hasMoreElements()) {
            if (names.nextElement().regionMatches(true, 0, MemberChannel.PREFIX, 0, MemberChannel.PREFIX.length())) {
                return true;
            }
        }
        return false;
    }

    /** The {@code Phare-Min-Index} a read asks for, 0 if none. */
    private static long minIndex(Context ctx) {
        try {
            return ReadYourWrites.parse(ctx.header(ReadYourWrites.MIN_INDEX));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "InvalidParameterValue", e.getMessage());
        }
    }

    /** The request as Signature V4 reads it: method, raw path and query, every header, the raw body. */
    static SigV4.Request signed(Context ctx) {
        List<java.util.Map.Entry<String, String>> headers = new ArrayList<>();
        var names = ctx.req().getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            var values = ctx.req().getHeaders(name);
            while (values.hasMoreElements()) {
                headers.add(java.util.Map.entry(name, values.nextElement()));
            }
        }
        return new SigV4.Request(ctx.method().name(), ctx.req().getRequestURI(), ctx.req().getQueryString(), headers,
                ctx.bodyAsBytes());
    }

    /** The longest a follower of the events may wait for one. */
    static final long MAX_EVENTS_WAIT_MS = 25_000;

    /**
     * {@code GET /v1/events?after=ID&waitMs=N&limit=M}: the events after {@code after} (0: all those kept; -1: only
     * what comes from now on), oldest first, waiting up to {@code waitMs} for one when there is none yet. The same
     * event has the same id on every member.
     */
    private void events(Context ctx) throws InterruptedException {
        long after = longParam(ctx, "after", 0);
        long waitMs = Math.min(MAX_EVENTS_WAIT_MS, Math.max(0, longParam(ctx, "waitMs", 0)));
        int limit = (int) Math.min(1_000, Math.max(1, longParam(ctx, "limit", 100)));
        var feed = loop.events();
        long from = after < 0 ? feed.latest() : after;
        List<Map<String, Object>> items = new ArrayList<>();
        long next = from;
        for (var item : feed.after(from, limit, waitMs)) {
            var e = item.event();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", item.id());
            m.put("at", e.atMs());
            m.put("severity", e.severity().name().toLowerCase(java.util.Locale.ROOT));
            m.put("kind", e.kind());
            m.put("subject", e.subject());
            m.put("text", e.text());
            items.add(m);
            next = item.id();
        }
        ctx.json(Map.of("events", items, "next", next));
    }

    private static long longParam(Context ctx, String name, long otherwise) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return otherwise;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ApiError(400, "InvalidParameterValue", name + " must be a whole number, got '" + v + "'");
        }
    }

    /** Room counted up to this many instances of each type (each one is a trial placement on the loop). */
    static final int MAX_ROOM = 1_000;

    /** Each instance type with how many more could start now without eating the failover reserve (at most 1,000). */
    private List<Views.TypeView> typesWithRoom(CloudState s) {
        if (s.regions().isEmpty()) {
            return s.instanceTypes().values().stream().map(t -> new Views.TypeView(t.id().value(), t.resources(), 0)).toList();
        }
        org.phare.core.control.ControllerConfig c = config != null ? config
                : org.phare.core.control.ControllerConfig.defaults(s.regions().keySet().iterator().next());
        org.phare.core.placement.Scheduler scheduler = new org.phare.core.placement.Scheduler(c.placement());
        return s.instanceTypes().values().stream().map(t -> new Views.TypeView(t.id().value(), t.resources(),
                org.phare.core.control.ComputeWrites.room(s, scheduler, c.region(), t.id(), MAX_ROOM))).toList();
    }

    /** Runs a read on the loop thread, so it never races with a write. */
    private <T> T read(Function<CloudState, T> query) {
        return loop.call(v -> query.apply(v.state()));
    }

    /** Agents' leases are renewed only by a leader that a majority answers (see RatisLog#QUORUM_CONTACT_MS). */
    private void requireQuorum() {
        if (!quorum.getAsBoolean()) {
            throw new ControlLoop.NotLeader();
        }
    }

    /**
     * A request for the leader reached another member. A client's is forwarded to the leader ({@link Forwarder}: the
     * leader's answer, or 503 {@code NoLeader} when none emerged in time, or 503 {@code Unavailable} when the outcome
     * is unknown). One a member forwarded here is answered 503 {@code NoLeader} marked as not done, never forwarded
     * again. An agent's is redirected ({@link #redirect}).
     */
    private void notLeader(Context ctx) {
        if (Boolean.TRUE.equals(ctx.attribute(Forwarder.FORWARDED))) {
            ctx.header(Forwarder.OUTCOME, Forwarder.NOT_LEADER).header("Retry-After", "1");
            ctx.status(503).json(new ApiError(503, "NoLeader", "member " + log.nodeId() + " does not lead (any more, or"
                    + " yet); a forwarded request is never forwarded again").body());
            return;
        }
        Authenticator.Principal p = ctx.attribute(Access.PRINCIPAL);
        if (ctx.path().startsWith("/agent/") || p == null) {
            redirect(ctx);
            return;
        }
        ctx.attribute(FORWARDED_AWAY, true);
        switch (forwarder.forward(signed(ctx), p)) {
            case Forwarder.Outcome.Answered a -> {
                ctx.status(a.status());
                for (var h : a.headers()) {
                    if (h.getKey().equalsIgnoreCase("Content-Type")) {
                        ctx.contentType(h.getValue());
                    } else {
                        ctx.res().addHeader(h.getKey(), h.getValue());
                    }
                }
                ctx.result(a.body());
            }
            case Forwarder.Outcome.NoLeader n -> ctx.header("Retry-After", "1").status(503)
                    .json(new ApiError(503, "NoLeader", n.message()).body());
            case Forwarder.Outcome.Unknown u -> ctx.header("Retry-After", "1").status(503)
                    .json(new ApiError(503, "Unavailable", u.message()).body());
        }
    }

    /**
     * An agent's request for the leader reached another member: 307 to the leader when it is known (same method and
     * body; the body names it too), else 503 {@code NoLeader} — this member cannot reach a majority, or an election is
     * under way — with {@code Retry-After}, at once. Agents know every member and follow the hint; forwarding them
     * would add a hop to every lease renewal, and waiting here for an election would spend a lease (3 s) that the
     * agent better spends asking the next member.
     */
    private void redirect(Context ctx) {
        String leader = log.leaderId();
        MemberInfo info = leader == null ? null : log.announced().get(leader);
        if (info == null || leader.equals(log.nodeId())) {
            ctx.header("Retry-After", "1");
            ctx.status(503).json(new ApiError(503, "NoLeader", "no leader can take this request right now (election under"
                    + " way, or this member cannot reach a majority of the control plane); retry, or ask another member").body());
            return;
        }
        String url = "http://" + info.http() + ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        ctx.header("Location", url);
        ctx.status(307).json(java.util.Map.of("error", java.util.Map.of("code", "NotLeader",
                "message", "member " + log.nodeId() + " is not the leader; the leader is " + leader + " at " + info.http(),
                "leader", "http://" + info.http())));
    }

    /**
     * During a drill, a write by a person (operator, crisis cell, hr) that this member carried out is a manual
     * intervention: it is recorded, who and what. The drill's own harness (its routes, the prober's report) and agents
     * and tenants are not people running the cloud; a write forwarded to the leader is counted there, once.
     */
    private void noteIntervention(Context ctx) {
        if (!loop.drillRunning() || "GET".equals(ctx.method().name()) || ctx.status().getCode() >= 300
                || ctx.path().startsWith("/v1/drills") || ctx.path().startsWith("/agent/")
                || Boolean.TRUE.equals(ctx.attribute(FORWARDED_AWAY))) {
            return;
        }
        Authenticator.Principal p = ctx.attribute(Access.PRINCIPAL);
        if (p == null || !(p.role() == Account.Role.OPERATOR || p.role() == Account.Role.CRISIS || p.role() == Account.Role.HR)) {
            return;
        }
        String action = ctx.method().name() + " " + ctx.path();
        try {
            loop.leader(c -> c.submit(new Command.NoteIntervention(p.account().value(),
                    p.role().name().toLowerCase(java.util.Locale.ROOT), action)));
        } catch (RuntimeException e) {
            LOG.warn("drill: could not record the manual intervention {} by {}: {}", action, p.account(), e.toString());
        }
    }

    /** Set on a request this member forwarded to the leader (the leader counts it). */
    private static final String FORWARDED_AWAY = "phare.forwardedAway";

    /** The value of an accepted command, or the refusal as an ApiError (shared by every route). */
    static Object ok(Result result) {
        return switch (result) {
            case Result.Ok ok -> ok.value();
            case Result.Rejected r -> throw new ApiError(ApiError.statusOf(r.code()), r.code(), r.message());
        };
    }

    /** The request body as {@code type}, or a 400 InvalidJson (shared by every route). */
    static <T> T body(Context ctx, Class<T> type) {
        String text = ctx.body();
        if (text.isBlank()) {
            throw new ApiError(400, "InvalidJson", "a JSON body is required");
        }
        try {
            T value = Json.mapper().readValue(text, type);
            if (value == null) {
                throw new ApiError(400, "InvalidJson", "a JSON object is required");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "InvalidJson", "invalid request body: " + e.getOriginalMessage());
        }
    }

    private static <T> T parse(java.util.function.Supplier<T> parser, String what) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "InvalidParameterValue", "invalid " + what + ": " + e.getMessage());
        }
    }

    private static <T> Views.Page<T> page(Context ctx, List<T> all, Function<T, String> idOf) {
        int limit = DEFAULT_PAGE;
        String limitText = ctx.queryParam("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_PAGE) {
                throw new ApiError(400, "InvalidParameterValue", "limit must be between 1 and " + MAX_PAGE + ", got '" + limitText + "'");
            }
        }
        String after = ctx.queryParam("nextToken");
        int start = 0;
        if (after != null) {
            start = -1;
            for (int i = 0; i < all.size(); i++) {
                if (idOf.apply(all.get(i)).equals(after)) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                throw new ApiError(400, "InvalidParameterValue", "nextToken '" + after + "' is not a token this list gave");
            }
        }
        int end = Math.min(all.size(), start + limit);
        String next = end < all.size() ? idOf.apply(all.get(end - 1)) : null;
        return new Views.Page<>(List.copyOf(all.subList(start, end)), next);
    }

    /** {@code POST /v1/instances}. Only {@code image} and {@code type} are required. */
    /** {@code POST /v1/instances/{id}/rename}. */
    record RenameRequest(String name) {}

    public record RunRequest(String image, String type, String zone, Integer count, Integer priority, String group,
                             String name, String tenant, String clientToken) {
        /** A tenant runs its own instances; an operator names the tenant (default: {@code default}). */
        Command.RunInstances toCommand(Authenticator.Principal p) {
            if (!p.operator() && tenant != null && !tenant.equals(p.account().value())) {
                throw new ApiError(403, "UnauthorizedOperation", "a tenant runs instances for itself only; leave tenant out");
            }
            if (!p.operator() && priority != null) {
                // Restart priority orders every tenant's instances after a failure: the provider's call.
                throw new ApiError(403, "UnauthorizedOperation", "only an operator sets an instance's restart priority");
            }
            RunRequest own = p.operator() ? this : new RunRequest(image, type, zone, count, priority, group, name,
                    p.account().value(), clientToken);
            return parse(own::command, "request");
        }

        private Command.RunInstances command() {
            if (image == null || image.isBlank()) {
                throw new ApiError(400, "MissingParameter", "image is required (see GET /v1/images)");
            }
            if (type == null || type.isBlank()) {
                throw new ApiError(400, "MissingParameter", "type is required (see GET /v1/instance-types)");
            }
            return new Command.RunInstances(new TenantId(tenant == null ? "default" : tenant.toLowerCase(Locale.ROOT)),
                    new InstanceTypeId(type), new ImageId(image), zone == null ? null : new ZoneId(zone),
                    count == null ? 1 : count, priority == null ? 100 : priority,
                    group == null ? null : new GroupId(group), name, clientToken);
        }
    }
}
