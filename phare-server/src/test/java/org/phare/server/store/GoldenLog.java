package org.phare.server.store;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.phare.api.Json;
import org.phare.api.PlanYaml;
import org.phare.api.RosterCsv;
import org.phare.core.agent.AgentCore;
import org.phare.core.agent.Protocol;
import org.phare.core.control.Clock;
import org.phare.core.control.Command;
import org.phare.core.control.Controller;
import org.phare.core.control.ControllerConfig;
import org.phare.core.control.Result;
import org.phare.core.model.Account;
import org.phare.core.model.GroupId;
import org.phare.core.model.GroupPolicy;
import org.phare.core.model.HostId;
import org.phare.core.model.ImageId;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.PlacementGroup;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.Schedulability;
import org.phare.core.model.SiteId;
import org.phare.core.model.Tag;
import org.phare.core.model.TenantId;
import org.phare.core.model.ZoneId;
import org.phare.core.placement.PlacementConfig;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;
import org.phare.server.Topology;

/**
 * A log and a snapshot written by the code of one release, kept in the test resources ({@code golden/v1/},
 * {@code golden/v2/}, one per log format) so that every later version must replay them to the same state: the log is
 * forever. {@link #main} writes them for the current log format — once per format, never again for an existing one —
 * from a deterministic story through the real controller that touches every record type: a new cloud, accounts and
 * keys, key pairs and tags, hosts and instances, a drain, a zone lost and its failovers, a storm and its alarm, the
 * continuity plan, roster, levels, closures, transport and the crisis cell (and, from format 2, the format raised and
 * an instance renamed).
 * {@link #digest} fingerprints a state through its public reads only, in a canonical form, so that it outlives any
 * change of classes or storage.
 */
public final class GoldenLog {
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final long T0_MS = 1_764_579_600_000L; // 2025-12-01T09:00:00Z
    private static final RegionId REGION = RegionId.of("eu-west-2");
    private static final TenantId ACME = new TenantId("acme");

    private GoldenLog() {}

    /**
     * Writes {@code golden/vN/log.jsonl}, {@code snapshot.json} (or {@code .smile}) and {@code digest.txt} under phare-server, N the current
     * log format (or into the directory given). Refuses to overwrite an existing golden log.
     */
    public static void main(String[] args) throws Exception {
        int format = org.phare.core.record.RecordTypes.CURRENT_FORMAT;
        Path dir = args.length > 0 ? Path.of(args[0]) : GOLDEN.resolve("v" + format);
        if (Files.exists(dir.resolve("log.jsonl"))) {
            throw new IllegalStateException(dir + " already holds a golden log: a golden log is never written again");
        }
        Story story = new Story(format);
        story.run();
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>();
        long seq = 0;
        for (List<Record> batch : story.batches) {
            lines.add(new String(LogEntry.encode(new LogEntry.Batch(1, 1, "golden", ++seq, batch)), StandardCharsets.UTF_8));
        }
        Files.write(dir.resolve("log.jsonl"), lines, StandardCharsets.UTF_8);
        CloudState state = story.committed;
        byte[] snapshot = new SnapshotFile(SnapshotFile.FORMAT, 1, story.batches.size(), state.snapshot(), List.of()).encode();
        Files.write(dir.resolve(SnapshotFile.smile(snapshot) ? "snapshot.smile" : "snapshot.json"), snapshot);
        Files.writeString(dir.resolve("digest.txt"), digest(state) + "\n", StandardCharsets.UTF_8);
        System.out.println("wrote " + story.batches.size() + " batches, " + state.appliedRecords() + " records, digest "
                + digest(state) + " to " + dir.toAbsolutePath());
    }

    /** The batches of a golden log file, in order. */
    static List<List<Record>> read(Path file) throws IOException {
        List<List<Record>> batches = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            if (LogEntry.decode(line.getBytes(StandardCharsets.UTF_8)) instanceof LogEntry.Batch b) {
                batches.add(b.records());
            }
        }
        return batches;
    }

    /** Records as data, without the name of their type: a fingerprint must not change when a type is renamed. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NONE)
    private interface Untyped {}

    @SuppressWarnings("deprecation")
    private static final ObjectMapper CANONICAL = Json.mapper().copy()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .addMixIn(Record.class, Untyped.class);

    /**
     * A fingerprint of a state through its public reads, in a canonical form (maps by key, properties by name, records
     * without their type names): equal states, however stored, give the same digest.
     */
    static String digest(CloudState s) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("regions", new TreeMap<>(s.regions()));
        all.put("zones", new TreeMap<>(s.zones()));
        all.put("sites", new TreeMap<>(s.sites()));
        all.put("types", new TreeMap<>(s.instanceTypes()));
        all.put("images", new TreeMap<>(s.images()));
        all.put("groups", new TreeMap<>(s.groups()));
        all.put("hosts", List.copyOf(s.hosts().values()));
        all.put("instances", List.copyOf(s.instances().values()));
        Map<String, List<String>> onHosts = new TreeMap<>();
        s.hosts().keySet().forEach(h -> onHosts.put(h.value(), s.instancesOn(h).stream().map(InstanceId::value).toList()));
        all.put("instancesOn", onHosts);
        all.put("alarms", new TreeMap<>(s.alarms()));
        all.put("accounts", new TreeMap<>(s.accounts()));
        all.put("accessKeys", new TreeMap<>(s.accessKeys()));
        all.put("keyPairs", new TreeMap<>(s.keyPairs()));
        all.put("tags", new TreeMap<>(s.allTags()));
        all.put("plan", s.plan());
        all.put("planHistory", s.planHistory());
        all.put("staff", List.copyOf(s.staff().values()));
        all.put("levelHistory", s.levelHistory());
        all.put("closedSites", new TreeMap<>(s.closedSites()));
        all.put("recommendations", s.recommendations());
        all.put("transportLost", new TreeMap<>(s.crisis().transportLost()));
        all.put("down", new TreeMap<>(s.crisis().down()));
        all.put("meetings", s.crisis().meetings());
        all.put("minutes", s.crisis().minutes());
        all.put("actions", s.crisis().actions());
        all.put("failovers", s.failovers().data());
        all.put("recoveryQueue", s.recoveryQueue().stream().map(k -> k.instance().value()).toList());
        all.put("numbers", List.of(s.instanceSeq(), s.keyPairSeq(), s.idSalt(), s.appliedRecords(), s.cpuOvercommit(),
                s.memOvercommit(), s.level(), s.planVersion()));
        if (s.logFormat() != 1) {
            all.put("logFormat", s.logFormat()); // absent at format 1, so that the fingerprints of v1 stay as they were
        }
        try {
            byte[] json = CANONICAL.writeValueAsBytes(all);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint the state", e);
        }
    }

    /** The story, through the real controller, with hosts that follow the agent's own rules. */
    static final class Story {
        private final int format;
        final List<List<Record>> batches = new ArrayList<>();
        final CloudState committed = new CloudState();
        private long nowMs = T0_MS;
        private long nanos = 1_000_000_000L;
        private final Clock clock = new Clock() {
            @Override
            public long monotonicNanos() {
                return nanos;
            }

            @Override
            public long epochMillis() {
                return nowMs;
            }
        };
        private Controller controller;
        private final Map<HostId, AgentCore> agents = new LinkedHashMap<>();
        private final Map<HostId, Map<InstanceId, Long>> copies = new LinkedHashMap<>();
        private final java.util.Set<HostId> silent = new java.util.HashSet<>();

        Story(int format) {
            this.format = format;
        }

        void run() {
            ControllerConfig config = ControllerConfig.defaults(REGION)
                    .withPlacement(PlacementConfig.defaults().withOvercommit(2.0, 1.0));
            controller = new Controller(config, committed, batch -> {
                batches.add(List.copyOf(batch));
                committed.replayAll(batch);
            }, clock, 1);
            ok(new Command.SetIdSalt(0x5eed_0001_0002_0003L));
            if (format >= 2) {
                ok(new Command.RaiseLogFormat(format, "cloud creation"));
            }
            Topology.defaults().commands().forEach(this::ok);
            ok(new Command.CreatePlacementGroup(new PlacementGroup(new GroupId("web"), ACME, GroupPolicy.HOST_ANTI_AFFINITY)));
            ok(new Command.CreateAccount(new TenantId("operator"), Account.Role.OPERATOR));
            ok(new Command.CreateAccount(ACME, Account.Role.TENANT));
            ok(new Command.CreateAccessKey(ACME, "PHKGOLDEN00000000001", "sealed-1"));
            ok(new Command.CreateAccessKey(ACME, "PHKGOLDEN00000000002", "sealed-2"));
            ok(new Command.RevokeAccessKey("PHKGOLDEN00000000002"));
            ok(new Command.CreateKeyPair(ACME, "deploy", "ed25519", "aa:bb", "ssh-ed25519 AAAA deploy"));
            ok(new Command.CreateKeyPair(ACME, "old", "ed25519", "cc:dd", "ssh-ed25519 AAAA old"));
            String oldId = committed.keyPair(ACME, "old").id();
            ok(new Command.CreateTags(ACME, List.of(oldId), Map.of("team", "ops")));
            ok(new Command.DeleteKeyPair(ACME, "old", oldId));

            for (String z : List.of("a", "b", "c")) {
                for (int n = 1; n <= 2; n++) {
                    register(new HostId("h-" + z + "-" + n), "eu-west-2" + z, "eu-west-2" + z + "-dc" + n);
                }
            }
            step(1_000);
            Result web = ok(new Command.RunInstances(ACME, new InstanceTypeId("tinav5.c1r1"), new ImageId("http-echo"), null, 3, 200,
                    new GroupId("web"), "web", "tok-1", 3, "deploy", "aGVsbG8=", Map.of("env", "prod")));
            ok(new Command.RunInstances(ACME, new InstanceTypeId("tinav5.c2r4"), new ImageId("http-echo"), new ZoneId("eu-west-2b"),
                    2, 100, null, "db", null));
            step(2_000);
            List<InstanceId> webIds = ids(web);
            ok(new Command.CreateTags(ACME, List.of(webIds.get(0).value()), Map.of("tier", "front", "owner", "ann")));
            ok(new Command.DeleteTags(ACME, List.of(webIds.get(0).value()), List.of(new Tag("owner", null))));
            ok(new Command.StopInstances(List.of(webIds.get(1))));
            step(2_000);
            ok(new Command.StartInstances(List.of(webIds.get(1))));
            ok(new Command.RebootInstances(List.of(webIds.get(2))));
            if (format >= 2) {
                ok(new Command.RenameInstance(webIds.get(2), "web-canary"));
                // Pinned to the zone about to be lost: its failover finds no room and says why (InstancePendingReason).
                ok(new Command.RunInstances(ACME, new InstanceTypeId("tinav5.c1r1"), new ImageId("http-echo"),
                        new ZoneId("eu-west-2a"), 1, 100, null, "pinned", null));
            }
            step(2_000);
            Result spare = ok(new Command.RunInstances(ACME, new InstanceTypeId("tinav5.c1r1"), new ImageId("http-echo"), null, 1,
                    100, null, "spare", null));
            ok(new Command.TerminateInstances(ids(spare)));
            step(2_000);
            // A drain moves a host's instances away once its agent confirms them stopped; then it takes work again.
            HostId drained = new HostId("h-c-2");
            ok(new Command.SetHostScheduling(drained, Schedulability.DRAINING, "maintenance"));
            step(3_000);
            ok(new Command.SetHostScheduling(drained, Schedulability.SCHEDULABLE, "done"));
            ok(new Command.SetHostScheduling(new HostId("h-c-1"), Schedulability.CORDONED, "disk check"));
            ok(new Command.SetHostScheduling(new HostId("h-c-1"), Schedulability.SCHEDULABLE, "disk fine"));

            // The continuity plan and the crisis cell.
            var plan = PlanYaml.parse(PlanYaml.defaultPlanText());
            ok(new Command.ApplyPlan(plan, "cell", "golden"));
            StringBuilder csv = new StringBuilder("id,name,roles,site,vpn,mfa,at_risk\n"
                    + "g01,Ann,operator,paris-hq,yes,yes,no\ng02,Bob,operator;facilities,eu-west-2a-dc1,yes,no,yes\n"
                    + "g03,Cid,crisis,saint-cloud,yes,yes,no\n");
            for (int p = 4; p <= 10; p++) {
                csv.append("g").append(String.format("%02d", p)).append(",Person ").append(p).append(",operator,paris-hq,yes,yes,no\n");
            }
            var roster = RosterCsv.parse(csv.toString(), plan);
            ok(new Command.ImportRoster(roster.people(), "hr"));
            ok(new Command.SetStaffStatus("g02", "absent", "hr"));
            ok(new Command.SetLevel(1, "cell", "first cases", "manual"));
            ok(new Command.OpenMeeting("cell"));
            ok(new Command.RecordMinutes("status round", false, "cell"));
            ok(new Command.RecordMinutes("keep level 1", true, "cell"));
            ok(new Command.OpenAction("check the VPN", "g01", "+4h", "cell"));
            ok(new Command.CloseAction(1, "done", "cell"));
            ok(new Command.CloseMeeting("cell"));
            ok(new Command.CloseSites("saint-cloud", "prefect's order 1", "cell"));
            ok(new Command.ReopenSites("saint-cloud", "cell"));
            ok(new Command.SetTransport("paris-15", true, "strike", "cell"));
            ok(new Command.SetTransport("paris-15", false, null, "cell"));

            // A zone lost: dead hosts, the zone down, the plan's infrastructure trigger, failovers.
            silent.add(new HostId("h-a-1"));
            silent.add(new HostId("h-a-2"));
            step(12_000);
            // A storm: most hosts of every zone silent at once (here all of them), then back.
            agents.keySet().forEach(silent::add);
            step(4_000);
            silent.clear();
            step(8_000);
            if (format >= 3) {
                drill();
            }
        }

        /** Format 3: a drill that crashes a host, sends people home, checks the level, is probed and ends; a second one aborted. */
        private void drill() {
            org.phare.core.drill.Drill d = new org.phare.core.drill.Drill("golden", "every drill record", java.util.List.of(
                    new org.phare.core.drill.Objective.OutageWithin("back within 30 s", 30_000),
                    new org.phare.core.drill.Objective.NoManualIntervention("nobody acts"),
                    new org.phare.core.drill.Objective.FunctionsCovered("covered at level 1", 1)),
                    org.phare.core.drill.Scope.EVERYTHING, new org.phare.core.drill.Announcement(3_600_000), null, java.util.List.of(
                    new org.phare.core.drill.Step(0, new org.phare.core.drill.Fault.AgentFault(org.phare.core.drill.Fault.AgentAction.CRASH,
                            new org.phare.core.drill.Fault.Target("h-b-1", null, null, 0), 5_000)),
                    new org.phare.core.drill.Step(0, new org.phare.core.drill.Fault.Absence(30, 42)),
                    new org.phare.core.drill.Step(1_000, new org.phare.core.drill.Fault.LevelCheck(1, 10_000))));
            Result r = ok(new Command.ScheduleDrill(d, nowMs + 1_000, new org.phare.core.drill.Prediction(20, 8, 40, 6.0, 9.5, 11.0), "operator"));
            String id = (String) ((Result.Ok) r).value();
            step(2_000);
            ok(new Command.NoteIntervention("ann", "operator", "POST /v1/hosts/h-c-1/cordon"));
            // The crashed host's agent falls silent as the real one does (its copies killed), and comes back after 5 s.
            silent.add(new HostId("h-b-1"));
            copies.get(new HostId("h-b-1")).clear();
            step(6_000);
            silent.remove(new HostId("h-b-1"));
            step(12_000);
            ok(new Command.ReportProbe(id, committed.drills().get(id).started().watched().size(), 1_200,
                    java.util.List.of(new org.phare.core.drill.Outage(committed.instances().keySet().iterator().next().value(),
                            nowMs - 20_000, nowMs - 12_000, true)), "operator"));
            step(60_000);
            Result second = ok(new Command.ScheduleDrill(d, 0, null, "operator"));
            step(1_000);
            ok(new Command.AbortDrill((String) ((Result.Ok) second).value(), "a real incident", "operator"));
            step(1_000);
        }

        private Result ok(Command c) {
            Result r = controller.submit(c);
            if (!r.isOk()) {
                throw new IllegalStateException(c + " was refused: " + r);
            }
            return r;
        }

        @SuppressWarnings("unchecked")
        private static List<InstanceId> ids(Result r) {
            return (List<InstanceId>) ((Result.Ok) r).value();
        }

        private void register(HostId id, String zone, String site) {
            AgentCore core = new AgentCore(new Protocol.Registration(id, new ZoneId(zone), new SiteId(site),
                    new Resources(8, 16384), Map.of("rack", site)));
            agents.put(id, core);
            copies.put(id, new TreeMap<>());
            beat(id);
        }

        /** Time passes in steps of 100 ms: each live host beats every second, the controller ticks every step. */
        private void step(long ms) {
            for (long t = 0; t < ms; t += 100) {
                nowMs += 100;
                nanos += 100_000_000L;
                if (nowMs % 1_000 == 0) {
                    for (HostId h : agents.keySet()) {
                        if (!silent.contains(h)) {
                            beat(h);
                        }
                    }
                }
                controller.tick();
            }
        }

        private void beat(HostId h) {
            AgentCore core = agents.get(h);
            Map<InstanceId, Long> mine = copies.get(h);
            List<AgentCore.Copy> live = new ArrayList<>();
            mine.forEach((i, g) -> live.add(new AgentCore.Copy(i, g, true, "10.0.0." + (h.hashCode() & 0x7f) + ":" + (8000 + g))));
            Object message = core.message(live);
            Protocol.Reply reply = message instanceof Protocol.Heartbeat hb ? controller.heartbeat(hb)
                    : controller.register((Protocol.Registration) message);
            AgentCore.Actions a = core.onReply(reply, nanos, nanos, live);
            a.stop().forEach(mine::remove);
            a.start().forEach(x -> mine.put(x.instance(), x.generation()));
        }
    }

    /** The record types a golden log holds. */
    static java.util.Set<String> kinds(List<List<Record>> batches) {
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        batches.forEach(b -> b.forEach(r -> kinds.add(r.getClass().getSimpleName())));
        return kinds;
    }

    static JsonNode tree(Object o) {
        return CANONICAL.valueToTree(o);
    }

    static Instance first(CloudState s) {
        return s.instances().values().iterator().next();
    }
}
