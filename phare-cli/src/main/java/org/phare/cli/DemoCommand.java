package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.phare.api.Credentials;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Starts a whole local cloud in the foreground, made of separate OS processes — the same"
            + " `phare server` and `phare agent` command lines a production deployment runs, so any of them can"
            + " be killed: one server (or a replicated control plane of 3 or 5 with --servers) and (by default) six"
            + " agents over three zones and two datacenters each. It creates a few sample instances, prints what runs"
            + " and how to break it, and stops everything on Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "7400", description = "Port of the server's API (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--servers", defaultValue = "1", description = "Control-plane members: 1, or 3 or 5 on consecutive ports from"
            + " --port, one per zone, so that any one (or two) can be killed (default: ${DEFAULT-VALUE}).")
    int servers;

    @Option(names = "--hosts", defaultValue = "6", description = "Agents to start, spread over the zones and sites (default: ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--instances", defaultValue = "6", description = "Sample instances to create (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--dir", defaultValue = ".phare-demo", description = "Demo directory (default: ${DEFAULT-VALUE}), wiped at start.")
    Path dir;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final List<Process> processes = new ArrayList<>();

    /**
     * Each demo host's declared size. Big enough that, with the default reserve (room to re-place any one host's
     * instances in its zone), the default demo (6 hosts, 6 samples) has room for a dozen more small instances; the
     * instances are small processes, so the machine need not have that much.
     */
    static final int HOST_VCPUS = 8;
    static final String HOST_MEMORY = "16g";
    /** The type the demo's samples and its suggestions use. */
    static final String SAMPLE_TYPE = "tinav5.c1r1";

    @Override
    public Integer call() throws Exception {
        if (hosts < 1 || hosts > 60) {
            throw new IllegalArgumentException("--hosts must be between 1 and 60, got " + hosts);
        }
        if (servers != 1 && servers != 3 && servers != 5) {
            throw new IllegalArgumentException("--servers must be 1, 3 or 5, got " + servers);
        }
        if (instances < 0 || instances > 100) {
            throw new IllegalArgumentException("--instances must be between 0 and 100, got " + instances);
        }
        PrintWriter out = spec.commandLine().getOut();
        wipe(dir);
        Files.createDirectories(dir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopAll();
            stopped.countDown();
        }, "phare-demo-shutdown"));

        out.println("phare demo: starting " + (servers == 1 ? "a server" : servers + " control-plane members") + " and "
                + hosts + " agents under " + dir.toAbsolutePath());
        List<Process> members = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        if (servers == 1) {
            members.add(launch("server", List.of("server", "--data-dir", dir.resolve("server").toString(),
                    "--listen", "127.0.0.1:" + port)));
            urls.add("http://127.0.0.1:" + port);
        } else {
            List<String> peers = new ArrayList<>();
            for (int i = 0; i < servers; i++) {
                peers.add("m" + (char) ('a' + i) + "=127.0.0.1:" + (port + 100 + i));
            }
            for (int i = 0; i < servers; i++) {
                char z = (char) ('a' + i);
                members.add(launch("server-m" + z, List.of("server", "--node-id", "m" + z, "--zone", "eu-west-2" + z,
                        "--peers", String.join(",", peers), "--data-dir", dir.resolve("server-m" + z).toString(),
                        "--listen", "127.0.0.1:" + (port + i), "--secrets-key", dir.resolve("secrets.key").toString(),
                        "--bootstrap")));
                urls.add("http://127.0.0.1:" + (port + i));
            }
        }
        String url = String.join(",", urls);
        for (int i = 0; i < members.size(); i++) {
            waitReady(urls.get(i), members.get(i), servers == 1 ? "server" : "server-m" + (char) ('a' + i));
        }
        // The first leader wrote the operator's key to its data directory; with it, give the agents an agent
        // account's key and the demo tenant its own, and write both profiles where the CLI finds them.
        Credentials operator = operatorKey(servers == 1 ? List.of(dir.resolve("server"))
                : java.util.stream.IntStream.range(0, servers).mapToObj(i -> dir.resolve("server-m" + (char) ('a' + i))).toList());
        ApiClient api = new ApiClient(url, operator);
        Credentials agentKey = account(api, "agents", "agent");
        Credentials tenantKey = account(api, "demo", "tenant");
        Path config = dir.resolve("config").toAbsolutePath();
        Files.writeString(config, "# Profiles of the demo cloud: export PHARE_CONFIG=" + config + "\n"
                + operator.iniSection("default", url) + "\n" + tenantKey.iniSection("demo", url));
        List<String[]> agents = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            String zone = zoneOf(i);
            String site = siteOf(i);
            String name = "agent-" + (i + 1);
            Process p = launch(name, List.of("agent", "--server", url, "--zone", zone, "--site", site, "--cpus",
                    Integer.toString(HOST_VCPUS), "--memory", HOST_MEMORY, "--data-dir", dir.resolve(name).toString(),
                    "--driver", "process"),
                    Map.of("PHARE_ACCESS_KEY_ID", agentKey.accessKeyId(), "PHARE_SECRET_ACCESS_KEY", agentKey.secret()));
            agents.add(new String[] {name, Long.toString(p.pid()), zone, site});
        }
        waitFor(() -> api.list("/v1/hosts").stream().filter(h -> "ready".equals(h.get("state").asText())).count() == hosts,
                "every agent to register");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            JsonNode r = api.post("/v1/instances", Map.of("image", "http-echo", "type", SAMPLE_TYPE, "name", "web-" + (i + 1),
                    "tenant", "demo"));
            created.add(r.get(0).get("id").asText());
        }
        waitFor(() -> api.list("/v1/instances").stream().filter(i -> "running".equals(i.get("state").asText())).count() == created.size(),
                "the sample instances to run");
        // The default continuity plan and a fictional roster, so that coverage and the situation report have data.
        api.putText("/v1/plan?note=phare+demo", "application/yaml", org.phare.api.PlanYaml.defaultPlanText());
        api.putOrPostText("POST", "/v1/staff", "text/csv", demoRoster());

        out.println();
        // Any member serves every request, so a tenant may be given any one address (or a load balancer over them).
        String ec2Endpoint = urls.get(0);
        if (servers == 1) {
            out.println("  Phare is running: " + url + "   (data and logs in " + dir.toAbsolutePath() + ")");
        } else {
            String leader = api.get("/v1/cluster").path("leader").asText();
            out.println("  Phare is running on " + servers + " members (data and logs in " + dir.toAbsolutePath() + ").");
            out.println("  Any of them answers every request, native or EC2: a follower forwards writes to the leader.");
            String follower = null;
            for (int i = 0; i < servers; i++) {
                String id = "m" + (char) ('a' + i);
                boolean leads = id.equals(leader);
                out.printf("    %-24s %-10s %s%n", urls.get(i), "server-" + id, leads ? "leader now" : "follower now");
                if (!leads && follower == null) {
                    follower = urls.get(i);
                }
            }
            ec2Endpoint = follower == null ? ec2Endpoint : follower; // to show that a follower serves writes too
        }
        out.println();
        Map<String, String> hostByPid = new java.util.HashMap<>();
        for (JsonNode h : api.list("/v1/hosts")) {
            hostByPid.put(h.get("pid").asText(), h.get("id").asText());
        }
        out.printf("  %-9s %-8s %-11s %-11s %s%n", "PROCESS", "PID", "HOST", "ZONE", "SITE");
        for (int i = 0; i < members.size(); i++) {
            out.printf("  %-9s %-8d %-11s %-11s %s%n", servers == 1 ? "server" : "server-m" + (char) ('a' + i),
                    members.get(i).pid(), "-", servers == 1 ? "-" : "eu-west-2" + (char) ('a' + i), "-");
        }
        for (String[] a : agents) {
            out.printf("  %-9s %-8s %-11s %-11s %s%n", a[0], a[1], hostByPid.getOrDefault(a[1], "?"), a[2], a[3]);
        }
        out.println();
        Output.print(out, "table", api.list("/v1/instances"), ClientCommands.INSTANCE_COLUMNS);
        out.println();
        out.println("  Room for " + room(api, SAMPLE_TYPE) + " more " + SAMPLE_TYPE + " instances now: the failover reserve"
                + " keeps enough free in each zone to restart any one host's instances (phare type ls shows the room per type).");
        out.println();
        String flag = "";
        out.println("  Credentials (profiles in " + config + "):");
        out.println("    operator  " + operator.accessKeyId() + "   (profile default: every tenant, hosts, accounts)");
        out.println("    tenant    " + tenantKey.accessKeyId() + "   (profile demo: the tenant 'demo', which owns the samples)");
        out.println();
        out.println("  Try, in another terminal:");
        out.println("    export PHARE_CONFIG=" + config);
        out.println("    ./phare vm ls" + flag + "                        instances, their host and address");
        out.println("    ./phare host ls" + flag + "                      hosts, their agent pid and load");
        out.println("    curl http://<address>/               an instance answers with its id and host");
        out.println("    kill -9 <agent pid>                  lose a host: its instances die with it and run");
        out.println("                                         again elsewhere within seconds (watch ./phare vm ls)");
        out.println("    ./phare vm run --image http-echo --type tinav5.c1r1 --count 2" + flag);
        out.println("    ./phare host drain <host id>" + flag + "         move a host's instances away, safely");
        out.println("    ./phare crisis sitrep" + flag + "                the crisis cell's situation report: health, failovers,");
        out.println("                                         capacity, staff coverage (the default plan and a fictional");
        out.println("                                         roster are loaded; see phare plan show, phare coverage)");
        if (servers > 1) {
            out.println("    ./phare cluster status" + flag + "   members, leader, term, lag");
            out.println("    kill -9 <leader's pid>               lose the leader: another member takes over within a");
            out.println("                                         second or two; no host is judged, no instance moves,");
            out.println("                                         and every other address above keeps answering");
        }
        out.println("    ./phare drill init drills            drills: a zone lost by surprise, the seed's exercise");
        out.println("    ./phare drill run drills/zone-loss.yaml --now --wait" + flag);
        out.println("                                         a full-scale exercise (about 2 min): faults on real");
        out.println("                                         processes, outages measured from outside, then:");
        out.println("    ./phare drill report drill-1 --format html --out report.html" + flag);
        out.println();
        out.println("  The EC2 API answers on the same port" + (servers == 1 ? "" : "s (here a follower's: any member works)")
                + ", with the tenant's key (any AWS CLI or SDK):");
        out.println("    AWS_ACCESS_KEY_ID=" + tenantKey.accessKeyId() + " AWS_SECRET_ACCESS_KEY=" + tenantKey.secret() + " \\");
        out.println("      aws ec2 describe-instances --endpoint-url " + ec2Endpoint + " --region eu-west-2");
        out.println();
        out.println("  Ctrl-C stops the whole cloud. What happens is printed below as it happens (also: ./phare events).");
        out.println();
        out.flush();
        // Print what happens where the demo runs: a host declared dead, each instance running again and how long it was
        // down, a zone or site down, a level raised or recommended.
        Thread events = Thread.ofVirtual().name("phare-demo-events").start(() -> {
            try {
                EventsCommand.follow(api, out, -1, () -> stopped.getCount() > 0, false);
            } catch (RuntimeException e) {
                // the cloud is stopping
            }
        });
        stopped.await();
        events.interrupt();
        return 0;
    }

    /** How many more instances of {@code type} the cloud would admit now, as {@code GET /v1/instance-types} counts it. */
    static int room(ApiClient api, String type) {
        for (JsonNode t : api.get("/v1/instance-types")) {
            if (type.equals(t.path("id").asText())) {
                return t.path("room").asInt();
            }
        }
        return 0;
    }

    /** Waits for the operator key a new cloud writes to its first leader's data directory (one of {@code memberDirs}). */
    static Credentials operatorKey(List<Path> memberDirs) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            for (Path d : memberDirs) {
                Path file = d.resolve(org.phare.server.PhareServer.CREDENTIALS_FILE);
                if (Files.isRegularFile(file)) {
                    try {
                        Credentials key = Credentials.fromProfile(file, "default");
                        if (key != null) {
                            return key;
                        }
                    } catch (IOException | RuntimeException e) {
                        // being written: try again
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no operator key appeared within 60 s under " + memberDirs);
    }

    /** Creates an account and a key for it. */
    private static Credentials account(ApiClient api, String name, String role) {
        api.post("/v1/accounts", Map.of("name", name, "role", role));
        JsonNode key = api.post("/v1/accounts/" + name + "/keys", Map.of());
        return new Credentials(key.get("accessKeyId").asText(), key.get("secretAccessKey").asText());
    }

    private Process launch(String name, List<String> args) throws IOException {
        return launch(name, args, Map.of());
    }

    private Process launch(String name, List<String> args, Map<String, String> env) throws IOException {
        List<String> command = ChildJvm.command(List.of("-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(args);
        ProcessBuilder pb = ChildJvm.builder(command);
        pb.environment().putAll(env);
        File log = dir.resolve(name + ".log").toFile();
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private void waitReady(String url, Process server, String name) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(500)).build();
        for (int i = 0; i < 300; i++) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited; see " + dir.resolve(name + ".log")
                        + " (is port " + port + " free? use --port)");
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "/readyz")).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server was not ready within 60 s; see " + dir.resolve(name + ".log"));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("gave up waiting 60 s for " + what);
    }

    private void stopAll() {
        // Agents first (their instances die with them), then the server.
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        System.err.println("phare demo: stopped " + processes.size() + " processes");
    }

    /** Deletes a directory and everything under it (nothing if it is missing). */
    static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The zone of the demo's {@code i}-th agent (from 0): the three zones in turn. */
    static String zoneOf(int i) {
        return "eu-west-2" + (char) ('a' + i % 3);
    }

    /** The datacenter of the demo's {@code i}-th agent: each zone's two in turn. */
    static String siteOf(int i) {
        return zoneOf(i) + "-dc" + (1 + (i / 3) % 2);
    }

    /** A fictional roster of 18 people over the default plan's roles and sites. */
    static String demoRoster() {
        try (var in = DemoCommand.class.getResourceAsStream("demo-roster.csv")) {
            return new String(java.util.Objects.requireNonNull(in, "demo-roster.csv").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
