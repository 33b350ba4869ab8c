package org.phare.cli.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import org.phare.api.Credentials;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A whole Phare cloud on loopback, made of real OS processes started exactly as an operator would:
 * {@code phare server ...} and {@code phare agent ... --driver process}, each a JVM running
 * {@code org.phare.cli.Main} with this test's classpath (in the {@code CLASSPATH} variable, so that command lines
 * stay short and readable through {@code /proc}). Queries go straight to the native API with
 * {@link java.net.http.HttpClient} and Jackson.
 *
 * <p>Every process writes to its own log file under {@code <dir>/logs}; {@link Extension} prints their tails
 * when a test fails. {@link #close()} kills everything it started and then checks that no instance process
 * ({@code HttpEcho}) of this cloud's hosts, nor any process whose command line names this cloud's directory,
 * is still alive: an orphan is a failure.
 */
final class LocalCloud implements AutoCloseable {
    static final String REGION = "eu-west-2";
    static final String ECHO_MAIN = "org.phare.agent.image.HttpEcho";
    static final String SMALL_TYPE = "tinav5.c1r1";
    static final String IMAGE = "http-echo";
    private static final List<String> JVM_FLAGS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    /** Variables the java launcher reads: a debugger or coverage agent of the test JVM must not reach the cloud. */
    private static final List<String> LAUNCHER_ENVIRONMENT = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path logs;
    private final String admission;
    private final String javaCommand;
    private final String classpath;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private final Set<String> hostIds = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> launches = new ConcurrentHashMap<>();
    private volatile int port;
    private volatile Process server;
    private boolean closed;
    /** The control plane's members when it has several (empty: one server). */
    private final List<Member> members = new CopyOnWriteArrayList<>();
    /** Whether agents reach the control plane through {@link FaultProxy proxies} of their own. */
    private volatile boolean proxied;
    private final List<FaultProxy> proxies = new CopyOnWriteArrayList<>();

    /** One member of a replicated control plane: its id, zone, ports, data dir and current process. */
    static final class Member {
        final String id;
        final String zone;
        final int httpPort;
        final int raftPort;
        final Path dataDir;
        volatile Process process;
        /** Extra JVM flags of its next start (as {@code -Dphare.logFormat.max=1}, standing for an older release). */
        volatile List<String> jvmFlags = List.of();

        Member(String id, String zone, int httpPort, int raftPort, Path dataDir) {
            this.id = id;
            this.zone = zone;
            this.httpPort = httpPort;
            this.raftPort = raftPort;
            this.dataDir = dataDir;
        }

        String url() {
            return "http://127.0.0.1:" + httpPort;
        }

        boolean alive() {
            return process != null && process.isAlive();
        }

        @Override
        public String toString() {
            return "member " + id + " (pid " + (process == null ? "-" : process.pid()) + ")";
        }
    }

    /**
     * A running agent: the host it registered as, its zone, its data dir and its current process; and, in a cloud
     * {@link #proxied()}, its own proxies to the members (in the members' order), which a test can blackhole, delay or
     * cut one way for this host alone.
     */
    static final class Agent {
        final String zone;
        final String site;
        final Path dataDir;
        volatile String hostId;
        volatile Process process;
        final List<FaultProxy> proxies = new CopyOnWriteArrayList<>();
        /** This agent's log files, one per launch. */
        final List<Path> logFiles = new CopyOnWriteArrayList<>();

        Agent(String zone, String site, Path dataDir) {
            this.zone = zone;
            this.site = site;
            this.dataDir = dataDir;
        }

        long pid() {
            return process.pid();
        }

        /** Every proxy of this agent: nothing goes through, nothing is refused. */
        void blackhole() {
            proxies.forEach(FaultProxy::blackhole);
        }

        /** Heartbeats reach the members; their replies are lost. */
        void dropReplies() {
            proxies.forEach(FaultProxy::dropReplies);
        }

        void delay(long ms) {
            proxies.forEach(p -> p.delay(ms));
        }

        /** Heals every proxy of this agent. */
        void heal() {
            proxies.forEach(FaultProxy::pass);
        }

        @Override
        public String toString() {
            return "agent " + hostId + " (" + zone + ", pid " + (process == null ? "-" : process.pid()) + ")";
        }
    }

    /** A live instance process ({@code HttpEcho}) as its command line describes it. */
    record EchoProcess(long pid, String instance, long generation, String host, int port) {}

    private volatile Credentials operatorKey;

    /** @param admission the server's {@code --admission}: host, zone or none */
    LocalCloud(Path dir, String admission) throws IOException {
        this.dir = dir.toAbsolutePath();
        this.logs = this.dir.resolve("logs");
        this.admission = admission;
        Files.createDirectories(logs);
        this.javaCommand = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        this.classpath = System.getProperty("java.class.path");
    }

    /**
     * Agents started from now on reach the control plane through proxies of their own ({@link Agent#proxies}), one per
     * member, which start passing everything.
     */
    LocalCloud proxied() {
        this.proxied = true;
        return this;
    }

    /** The conventional bounded wait of these tests: at most 60 s, polled every 200 ms, transient errors retried. */
    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).pollDelay(Duration.ZERO)
                .ignoreExceptions();
    }

    /** The same bounded wait, but any exception or assertion error in the condition ends it at once. */
    static ConditionFactory bounded() {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).pollDelay(Duration.ZERO);
    }

    Path dir() {
        return dir;
    }

    /** The server, or the member that runs the active services now (found by asking each live member). */
    String url() {
        if (members.isEmpty()) {
            return "http://127.0.0.1:" + port;
        }
        return leader().url();
    }

    /** Every member's URL, separated by commas: what agents and the CLI are given. */
    String urls() {
        if (members.isEmpty()) {
            return url();
        }
        return String.join(",", members.stream().map(Member::url).toList());
    }

    List<Member> members() {
        return members;
    }

    /** The member whose active services run. @throws IllegalStateException if none does right now */
    Member leader() {
        for (Member m : members) {
            if (!m.alive()) {
                continue;
            }
            try {
                Credentials key = findOperatorKey();
                if (key == null) {
                    break; // no leader has started yet
                }
                URI uri = URI.create(m.url() + "/v1/cluster?local=true");
                HttpResponse<String> r = http.send(key.sign(HttpRequest.newBuilder(uri), "GET", uri, new byte[0], Instant.now())
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && readTree(r.body()).path("activeServices").asBoolean()) {
                    return m;
                }
            } catch (IOException e) {
                // not answering: not the leader
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("no member runs the active services right now");
    }

    /** The member's own view of the group ({@code GET /v1/cluster?local=true}). */
    JsonNode memberStatus(Member m) {
        URI uri = URI.create(m.url() + "/v1/cluster?local=true");
        HttpResponse<String> r = send(operator().sign(HttpRequest.newBuilder(uri), "GET", uri, new byte[0], Instant.now()).GET(),
                Duration.ofSeconds(3));
        if (r.statusCode() != 200) {
            throw new IllegalStateException(m + " answered " + r.statusCode() + ": " + r.body());
        }
        return readTree(r.body());
    }

    /**
     * Starts a control plane of {@code n} members (3 or 5), one per zone a, b, c, d, e, each {@code phare server
     * --node-id mX --peers ...}, and waits until one of them runs the active services.
     */
    void startCluster(int n) throws IOException {
        startCluster(n, List.of());
    }

    /** {@link #startCluster(int)} with extra JVM flags for every member. */
    void startCluster(int n, List<String> memberJvmFlags) throws IOException {
        for (int i = 0; i < n; i++) {
            char zone = (char) ('a' + i);
            Member m = new Member("m" + zone, REGION + zone, freePort(), freePort(), dir.resolve("server-m" + zone));
            m.jvmFlags = List.copyOf(memberJvmFlags);
            members.add(m);
        }
        for (Member m : members) {
            launchMember(m, true);
        }
        awaitLeader();
    }

    /** Waits (at most 60 s) until some member runs the active services; returns it. */
    Member awaitLeader() {
        return eventually().until(this::leader, m -> m != null);
    }

    /** Starts a member's process again on its data dir and ports (after a kill). */
    void restartMember(Member m) throws IOException {
        launchMember(m, false);
    }

    /** {@code phare server} for a member, with every member as peers and one master key for all. */
    private void launchMember(Member m, boolean bootstrap) throws IOException {
        String peerList = String.join(",", members.stream().map(x -> x.id + "=127.0.0.1:" + x.raftPort).toList());
        List<String> args = new ArrayList<>(List.of("server", "--node-id", m.id, "--zone", m.zone, "--peers", peerList,
                "--data-dir", m.dataDir.toString(), "--listen", "127.0.0.1:" + m.httpPort, "--admission", admission,
                "--secrets-key", dir.resolve("secrets.key").toString()));
        if (bootstrap) {
            args.add("--bootstrap");
        }
        m.process = launch("server-" + m.id, args, Map.of(), m.jvmFlags);
    }

    /** The output of the member's latest start. */
    String memberLog(Member m) throws IOException {
        return Files.readString(logs.resolve("server-" + m.id + "-" + launches.get("server-" + m.id) + ".log"));
    }

    /** Stops a member as an operator would ({@code SIGTERM}, then {@code SIGKILL} after 30 s); returns once it is gone. */
    void stopMember(Member m) throws IOException, InterruptedException {
        signal(m.process, "TERM");
        if (!m.process.waitFor(30, TimeUnit.SECONDS)) {
            kill(m.process);
        }
    }

    /** {@code kill -9} of a member; returns once the process is gone. */
    void killMember(Member m) throws InterruptedException {
        kill(m.process);
    }

    /** {@code kill -STOP} (freeze) or {@code kill -CONT} (thaw) of a process: as a stalled VM or a swap storm would. */
    static void signal(Process p, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + p.pid() + " failed: " + new String(kill.getInputStream().readAllBytes()));
        }
    }

    /** A GET answered by this member itself (reads are served locally on every member). */
    JsonNode getFrom(Member m, String path) {
        URI uri = URI.create(m.url() + path);
        HttpResponse<String> r = send(operator().sign(HttpRequest.newBuilder(uri), "GET", uri, new byte[0], Instant.now()).GET(),
                Duration.ofSeconds(5));
        if (r.statusCode() != 200) {
            throw new IllegalStateException(m + " answered " + r.statusCode() + " to GET " + path + ": " + r.body());
        }
        return readTree(r.body());
    }

    int port() {
        return port;
    }

    Process serverProcess() {
        return server;
    }

    // ---- processes ----

    /** Starts {@code phare server} on a free loopback port and waits until it answers {@code /readyz}. */
    void startServer() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            port = freePort();
            try {
                launchServer();
                return;
            } catch (IOException e) {
                last = e; // most likely the port was taken between our check and its bind: take another one
            }
        }
        throw last;
    }

    /** Starts {@code phare server} again on the same port and data dir, and waits until it is ready. */
    void restartServer() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                launchServer();
                return;
            } catch (IOException e) {
                last = e;
                sleep(500);
            }
        }
        throw last;
    }

    /** JVM flags of the single server ({@link #startServer()}), e.g. {@code -Dphare.drill.settleMs=5000}. */
    private List<String> serverFlags = List.of();

    LocalCloud serverFlags(List<String> flags) {
        this.serverFlags = List.copyOf(flags);
        return this;
    }

    private void launchServer() throws IOException {
        Process p = launch("server", List.of("server", "--data-dir", dir.resolve("server").toString(),
                "--listen", "127.0.0.1:" + port, "--admission", admission), Map.of(), serverFlags);
        server = p;
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> !p.isAlive() || ready());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the server did not become ready in 60 s; see " + logs, e);
        }
        if (!p.isAlive()) {
            throw new IOException("the server exited with code " + p.exitValue() + " before it was ready; see " + logs);
        }
    }

    private boolean ready() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200;
    }

    /** {@code kill -9} of the server; returns once the process is gone. */
    void killServer() throws InterruptedException {
        kill(server);
    }

    /**
     * Starts {@code phare agent} in zone {@code eu-west-2<letter>}, site {@code eu-west-2<letter>-dc1}, with
     * 8 vCPUs and 16 GiB, and waits until its host is {@code ready} with this process's pid.
     */
    Agent startAgent(char zoneLetter) throws IOException {
        String zone = REGION + zoneLetter;
        Agent agent = new Agent(zone, zone + "-dc1", dir.resolve("agent-" + zoneLetter));
        launchAgent(agent);
        return agent;
    }

    /**
     * {@code perZone} agents in each of the zones a, b and c (sites dc1, dc2 alternately), started zone after zone
     * in turn; by host id.
     */
    Map<String, Agent> startAgents(int perZone) throws IOException {
        Map<String, Agent> agents = new TreeMap<>();
        for (int n = 0; n < perZone; n++) {
            for (char z : new char[] {'a', 'b', 'c'}) {
                String zone = REGION + z;
                Agent a = new Agent(zone, zone + "-dc" + (1 + n % 2), dir.resolve("agent-" + z + n));
                launchAgent(a);
                agents.put(a.hostId, a);
            }
        }
        return agents;
    }

    /** One agent in each of the zones a, b and c, started in that order; by host id. */
    Map<String, Agent> startAgentPerZone() throws IOException {
        Map<String, Agent> agents = new TreeMap<>();
        for (char z : new char[] {'a', 'b', 'c'}) {
            Agent a = startAgent(z);
            agents.put(a.hostId, a);
        }
        return agents;
    }

    /** Starts the agent's process again, on the same data dir (so as the same host). */
    void restartAgent(Agent agent) throws IOException {
        launchAgent(agent);
    }

    private void launchAgent(Agent agent) throws IOException {
        Credentials key = operator();
        String servers = urls();
        if (proxied) {
            if (agent.proxies.isEmpty()) {
                List<Integer> ports = members.isEmpty() ? List.of(port) : members.stream().map(m -> m.httpPort).toList();
                for (int target : ports) {
                    FaultProxy proxy = new FaultProxy(target);
                    agent.proxies.add(proxy);
                    proxies.add(proxy);
                }
            }
            servers = String.join(",", agent.proxies.stream().map(FaultProxy::url).toList());
        }
        Process p = launch("agent-" + agent.zone, List.of("agent", "--server", servers, "--zone", agent.zone,
                "--site", agent.site, "--cpus", "8", "--memory", "16g", "--data-dir", agent.dataDir.toString(),
                "--driver", "process"), Map.of("PHARE_ACCESS_KEY_ID", key.accessKeyId(), "PHARE_SECRET_ACCESS_KEY", key.secret()));
        agent.process = p;
        agent.logFiles.add(logs.resolve("agent-" + agent.zone + "-" + launches.get("agent-" + agent.zone) + ".log"));
        Path idFile = agent.dataDir.resolve("host-id");
        String exited = "the agent in " + agent.zone + " exited; see " + logs;
        eventually().failFast(exited, () -> !p.isAlive())
                .until(() -> Files.exists(idFile) && !Files.readString(idFile).isBlank());
        agent.hostId = Files.readString(idFile, StandardCharsets.UTF_8).trim();
        hostIds.add(agent.hostId);
        eventually().failFast(exited, () -> !p.isAlive()).until(() -> {
            JsonNode h = host(agent.hostId);
            return h != null && "ready".equals(h.path("state").asText()) && h.path("pid").asLong() == p.pid();
        });
    }

    /** {@code kill -9} of the agent's JVM; returns once the process is gone. */
    void killAgent(Agent agent) throws InterruptedException {
        kill(agent.process);
    }

    /** What one CLI command printed (stdout and stderr together), and its exit code. */
    record CliRun(int exit, String output) {}

    /** Runs one {@code phare} command as its own process against this cloud, signed with the operator key. */
    CliRun cli(String... args) throws IOException, InterruptedException {
        Credentials key = operator();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", urls()));
        Process p = launch("cli", all, Map.of("PHARE_ACCESS_KEY_ID", key.accessKeyId(), "PHARE_SECRET_ACCESS_KEY", key.secret()));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("phare " + String.join(" ", args) + " did not finish in 120 s");
        }
        Path log = logs.resolve("cli-" + launches.get("cli") + ".log");
        String text = Files.readString(log, StandardCharsets.UTF_8);
        return new CliRun(p.exitValue(), text.substring(text.indexOf('\n') + 1)); // without the launch line
    }

    /**
     * Starts {@code phare demo ARGS} as its own process (its output in {@code logs/demo-N.log}); it starts its servers and
     * agents itself. Stop it with {@link #stopDemo}: on SIGTERM it stops them.
     */
    Process demo(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("demo"));
        all.addAll(List.of(args));
        return launch("demo", all, Map.of());
    }

    /** The output {@code phare demo} printed so far. */
    String demoOutput() throws IOException {
        Path log = logs.resolve("demo-" + launches.getOrDefault("demo", 1) + ".log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Stops the demo as Ctrl-C would (SIGTERM): it stops its servers and agents; waits for it. */
    static void stopDemo(Process demo) throws InterruptedException {
        demo.destroy();
        if (!demo.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("phare demo did not stop within 60 s of SIGTERM");
        }
    }

    /** Runs one {@code phare} command as its own process, with these variables (a profile's config, say), unsigned otherwise. */
    CliRun phare(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Process p = launch("cli", List.of(args), env);
        // A guard against a hang only: a drill run with --wait lasts its timeline and settle time.
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("phare " + String.join(" ", args) + " did not finish in 300 s");
        }
        Path log = logs.resolve("cli-" + launches.get("cli") + ".log");
        String text = Files.readString(log, StandardCharsets.UTF_8);
        return new CliRun(p.exitValue(), text.substring(text.indexOf('\n') + 1));
    }

    /** The text of the logs of the servers and agents so far (not the CLI commands' outputs). */
    String processLogs() throws IOException {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().startsWith("cli-")).sorted().toList()) {
                b.append(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return b.toString();
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL on Linux
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("pid " + p.pid() + " survived SIGKILL for 30 s");
        }
    }

    private Process launch(String name, List<String> args) throws IOException {
        return launch(name, args, Map.of());
    }

    private Process launch(String name, List<String> args, Map<String, String> env) throws IOException {
        return launch(name, args, env, List.of());
    }

    private Process launch(String name, List<String> args, Map<String, String> env, List<String> jvmFlags) throws IOException {
        int n = launches.merge(name, 1, Integer::sum);
        Path log = logs.resolve(name + "-" + n + ".log");
        List<String> command = new ArrayList<>();
        command.add(javaCommand);
        command.addAll(JVM_FLAGS);
        command.addAll(jvmFlags);
        command.add("org.phare.cli.Main");
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command);
        b.environment().keySet().removeAll(LAUNCHER_ENVIRONMENT);
        b.environment().put("CLASSPATH", classpath);
        b.environment().putAll(env);
        b.directory(dir.toFile());
        b.redirectErrorStream(true);
        b.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Files.writeString(log, "=== " + Instant.now() + " " + String.join(" ", command) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process p = b.start();
        started.add(p);
        return p;
    }

    // ---- the native API ----

    /**
     * The operator key the cloud's first leader wrote to its data directory (waits for it up to 60 s): every
     * request of these tests, and the agents, sign with it.
     */
    Credentials operator() {
        Credentials key = operatorKey;
        if (key == null) {
            key = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(this::findOperatorKey, k -> k != null);
        }
        return key;
    }

    private Credentials findOperatorKey() throws IOException {
        if (operatorKey != null) {
            return operatorKey;
        }
        try (var files = Files.find(dir, 2, (p, a) -> p.getFileName().toString().equals("operator.credentials"))) {
            Path file = files.findFirst().orElse(null);
            if (file == null) {
                return null;
            }
            operatorKey = Credentials.fromProfile(file, "default");
            return operatorKey;
        }
    }

    private HttpRequest.Builder signed(String method, String path, byte[] body) {
        URI uri = URI.create(url() + path);
        return operator().sign(HttpRequest.newBuilder(uri), method, uri, body, Instant.now());
    }

    JsonNode get(String path) {
        HttpResponse<String> r = send(signed("GET", path, new byte[0]).GET(), Duration.ofSeconds(10));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return readTree(r.body());
    }

    /** POST with a JSON body; the response as it came (status and body), whatever the status. */
    HttpResponse<String> post(String path, Object body, Duration timeout) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(body);
            return send(signed("POST", path, bytes).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every item of a paginated list, through the CLI's own client. */
    List<JsonNode> list(String path) {
        return new org.phare.cli.ApiClient(url(), operator()).list(path);
    }

    /** A client of the whole control plane, as the CLI makes it from {@code --server a,b,c}. */
    org.phare.cli.ApiClient client() {
        return new org.phare.cli.ApiClient(urls(), operator());
    }

    List<JsonNode> instances() {
        return list("/v1/instances");
    }

    Map<String, JsonNode> instancesById() {
        Map<String, JsonNode> byId = new TreeMap<>();
        instances().forEach(i -> byId.put(i.get("id").asText(), i));
        return byId;
    }

    List<JsonNode> hosts() {
        return list("/v1/hosts");
    }

    /** The host as {@code GET /v1/hosts} lists it, or null. */
    JsonNode host(String id) {
        return hosts().stream().filter(h -> id.equals(h.get("id").asText())).findFirst().orElse(null);
    }

    /** {@code GET http://<address>/} of an instance: {"instance", "generation", "host", "pid"}. */
    JsonNode echo(String address) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://" + address + "/")).GET(), Duration.ofSeconds(3));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET http://" + address + "/ answered " + r.statusCode() + ": " + r.body());
        }
        return readTree(r.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request, Duration timeout) {
        try {
            return http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- what runs on this machine ----

    /** The live instance processes of this cloud's hosts (found by their command lines, whoever their parent is). */
    List<EchoProcess> echoProcesses() {
        List<EchoProcess> found = new ArrayList<>();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.forEach(h -> echoOf(h).filter(e -> hostIds.contains(e.host())).ifPresent(found::add));
        }
        return found;
    }

    private static Optional<EchoProcess> echoOf(ProcessHandle h) {
        ProcessHandle.Info info = h.info();
        String[] args = info.arguments().orElse(null);
        if (args == null || info.command().map(c -> c.endsWith("/setsid")).orElse(false)) {
            return Optional.empty(); // a setsid that did not exec yet is not a second copy
        }
        int main = Arrays.asList(args).indexOf(ECHO_MAIN);
        if (main < 0 || !h.isAlive()) {
            return Optional.empty();
        }
        String instance = null;
        String host = null;
        long generation = -1;
        int port = -1;
        for (int i = main + 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--instance" -> instance = args[i + 1];
                case "--host" -> host = args[i + 1];
                case "--generation" -> generation = parseLong(args[i + 1]);
                case "--port" -> port = (int) parseLong(args[i + 1]);
                default -> { }
            }
        }
        return instance == null ? Optional.empty() : Optional.of(new EchoProcess(h.pid(), instance, generation, host, port));
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Processes of this cloud still alive: any command line naming our directory, and the instances of our hosts. */
    private List<ProcessHandle> leftovers() {
        String mark = dir.toString();
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.filter(h -> h.pid() != ProcessHandle.current().pid()).filter(ProcessHandle::isAlive).forEach(h -> {
                String line = h.info().commandLine().orElse("");
                if (line.contains(mark) || echoOf(h).filter(e -> hostIds.contains(e.host())).isPresent()) {
                    found.add(h);
                }
            });
        }
        return found;
    }

    // ---- logs ----

    /** The last {@code lines} lines of every log of this cloud (server, agents, and each instance's output). */
    void printLogTails(PrintStream out, int lines) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> p.toString().endsWith(".log") && Files.isRegularFile(p)).sorted().forEach(files::add);
        } catch (IOException e) {
            out.println("cannot list the logs under " + dir + ": " + e);
        }
        for (Path f : files) {
            boolean instanceLog = f.getParent().getFileName().toString().equals("instances");
            int n = instanceLog ? Math.min(lines, 8) : lines;
            out.println("----- last " + n + " lines of " + dir.relativize(f) + " -----");
            try {
                List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
                all.subList(Math.max(0, all.size() - n), all.size()).forEach(out::println);
            } catch (IOException | UncheckedIOException e) {
                out.println("(unreadable: " + e + ")");
            }
        }
        out.flush();
    }

    /** The lines of this agent's logs (every launch) containing {@code text}. */
    static List<String> logLines(Agent agent, String text) {
        List<String> found = new ArrayList<>();
        for (Path f : agent.logFiles) {
            try {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (line.contains(text)) {
                        found.add(line);
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                found.add("(cannot read " + f + ": " + e + ")");
            }
        }
        return found;
    }

    /**
     * Whether a process runs: alive and not a zombie (a copy that exited while its agent is frozen stays in the
     * process table until the agent reaps it; it runs nothing).
     */
    static boolean running(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (h.isEmpty()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return h.get().isAlive();
        }
    }

    /** The lines of every agent log containing {@code text}, for information. */
    List<String> agentLogLines(String text) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> list = Files.list(logs)) {
            for (Path f : list.filter(p -> p.getFileName().toString().startsWith("agent-")).sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (line.contains(text)) {
                        found.add(f.getFileName() + ": " + line);
                    }
                }
            }
        } catch (IOException e) {
            found.add("(cannot read the agent logs: " + e + ")");
        }
        return found;
    }

    // ---- the end ----

    /**
     * Kills every process this cloud started (agents first), then waits for the instance processes to follow
     * their agents. Fails if anything of this cloud is still alive after that: it is killed, and reported.
     */
    @Override
    public void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        List<Process> all = new ArrayList<>(started);
        // The servers last.
        all.sort((a, b) -> Boolean.compare(isServer(a), isServer(b)));
        for (Process p : all) {
            if (!p.isAlive()) {
                continue;
            }
            try {
                signal(p, "CONT"); // a frozen process dies of SIGKILL all the same, but its children are reaped sooner
            } catch (IOException e) {
                // gone meanwhile
            }
            p.destroyForcibly();
        }
        proxies.forEach(FaultProxy::close);
        List<String> problems = new ArrayList<>();
        for (Process p : all) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                problems.add("pid " + p.pid() + " survived SIGKILL for 30 s");
            }
        }
        // Instances die with their agent through the stdin leash, a moment later.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<ProcessHandle> left = leftovers();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            sleep(200);
            left = leftovers();
        }
        for (ProcessHandle h : left) {
            problems.add("orphan still alive 20 s after its agent was killed: pid " + h.pid() + " "
                    + h.info().commandLine().orElse("?"));
            h.destroyForcibly();
        }
        for (ProcessHandle h : left) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                problems.add("pid " + h.pid() + " survived SIGKILL");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("the local cloud did not stop cleanly:\n  " + String.join("\n  ", problems));
        }
    }

    private boolean isServer(Process p) {
        return p == server || members.stream().anyMatch(m -> m.process == p);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Closes the clouds a test started, after the test, whatever happened: fails the test if anything was left
     * running, and prints the tails of every log when the test (or the close) failed.
     */
    static final class Extension implements AfterEachCallback {
        private final List<LocalCloud> clouds = new CopyOnWriteArrayList<>();

        LocalCloud start(Path dir, String admission) throws IOException {
            LocalCloud cloud = new LocalCloud(dir, admission);
            clouds.add(cloud);
            return cloud;
        }

        @Override
        public void afterEach(ExtensionContext context) throws Exception {
            AssertionError closeFailure = null;
            for (LocalCloud cloud : clouds) {
                try {
                    cloud.close();
                } catch (AssertionError e) {
                    closeFailure = e;
                }
            }
            if (context.getExecutionException().isPresent() || closeFailure != null) {
                for (LocalCloud cloud : clouds) {
                    System.err.println("===== " + context.getDisplayName() + " failed; logs of the local cloud in " + cloud.dir + " =====");
                    cloud.printLogTails(System.err, 40);
                }
            }
            clouds.clear();
            if (closeFailure != null) {
                throw closeFailure;
            }
        }
    }
}
