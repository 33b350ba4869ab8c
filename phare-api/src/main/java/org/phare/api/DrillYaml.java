package org.phare.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.phare.core.continuity.PlanCheck;
import org.phare.core.drill.Announcement;
import org.phare.core.drill.Drill;
import org.phare.core.drill.DrillCheck;
import org.phare.core.drill.Durations;
import org.phare.core.drill.Fault;
import org.phare.core.drill.Objective;
import org.phare.core.drill.Scope;
import org.phare.core.drill.Step;
import org.phare.core.drill.StopConditions;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A drill as a YAML file ({@code drill.yaml}), read with every problem located by line, column and field, like the
 * plan. The shipped drills ({@link #SHIPPED}) teach the format in their comments; in short:
 *
 * <pre>
 * name: zone-loss                       # required
 * description: free text
 * announced: 1d                         # required: a notice (30s, 5m, 2h, 1d) or surprise
 * scope: {region: eu-west-2, zones: [eu-west-2a], sites: [], tenants: []}   # optional: everything
 * objectives:                           # each a text and exactly one of:
 *   - {text: ..., outageWithin: 30s}            # every watched instance answers again within 30 s
 *   - {text: ..., manualInterventions: 0}       # nobody had to act
 *   - {text: ..., functionsCoveredAtLevel: 3}   # every critical function covered at level 3
 *   - {text: ..., levelReached: 3, within: 5m}  # the alert level is 3 or more within 5 min of the start
 * stop: {maxInstancesDown: 50}          # optional: stop early, every fault healed
 * timeline:                             # at least one step; each an offset and exactly one action
 *   - {at: 0s, loseZone: eu-west-2a}                        # every host of the zone crashes (for: optional)
 *   - {at: 10s, loseSite: eu-west-2b-dc1}                   # every host of the site crashes (for: optional)
 *   - {at: 20s, crashAgent: {host: h-1}, for: 2m}           # or {site: S, count: 2} / {zone: Z, count: 1}
 *   - {at: 30s, freezeAgent: {zone: eu-west-2b, count: 1}, for: 20s}   # for: required, at most 10m
 *   - {at: 40s, isolateAgent: {host: h-2}, for: 30s}        # cut off from the servers (for: optional)
 *   - {at: 1m, leader: stop}                                # or freeze (for: required) or step-down
 *   - {at: 0s, absent: 30%, seed: 42}                       # a share of the roster, drawn from the seed (default 0)
 *   - {at: 0s, quarantine: [facilities]}                    # everyone holding one of these roles
 *   - {at: 0s, closure: {siteOrArea: saint-cloud, order: "prefect's order 2026-114"}}
 *   - {at: 0s, transportLost: {area: paris-15, reason: strike}}
 *   - {at: 0s, checkLevel: 3, within: 5m}                   # the level is 3 or more within 5 min of the step
 * </pre>
 *
 * A fault without {@code for} lasts until the drill ends (people faults always do). Rules of the drill itself are
 * {@link DrillCheck}'s; {@link #parse(String, DrillCheck.Cloud)} also checks it against the cloud it will run on.
 */
public final class DrillYaml {
    /** Largest drill file accepted. */
    public static final int MAX_BYTES = 256 * 1024;
    /** The drills {@code phare drill init} writes, by file name. */
    public static final List<String> SHIPPED = List.of("seed-exercise.yaml", "zone-loss.yaml");

    private static final Set<String> TOP = Set.of("name", "description", "announced", "scope", "objectives", "stop", "timeline");
    private static final List<String> OBJECTIVE_KINDS = List.of("outageWithin", "manualInterventions", "functionsCoveredAtLevel",
            "levelReached");
    private static final List<String> ACTIONS = List.of("loseZone", "loseSite", "crashAgent", "freezeAgent", "isolateAgent", "leader",
            "absent", "quarantine", "closure", "transportLost", "checkLevel");
    /** The actions a {@code for} goes with: the infrastructure's (people faults last until the drill ends). */
    private static final Set<String> TIMED = Set.of("loseZone", "loseSite", "crashAgent", "freezeAgent", "isolateAgent", "leader");
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})\\s*%?");
    private static final Pattern STEP = Pattern.compile("^timeline\\[(\\d+)]");

    /** The file is not a valid drill; every problem found is listed, in file order. */
    public static final class Invalid extends YamlFile.Invalid {
        Invalid(List<YamlFile.Located> problems) {
            super("drill", problems);
        }
    }

    private DrillYaml() {
    }

    /** A shipped drill's text, with its comments. */
    public static String shippedText(String fileName) {
        if (!SHIPPED.contains(fileName)) {
            throw new IllegalArgumentException("no shipped drill " + fileName + " (shipped: " + String.join(", ", SHIPPED) + ")");
        }
        try (InputStream in = DrillYaml.class.getResourceAsStream(fileName)) {
            return new String(Objects.requireNonNull(in, fileName).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The drill, checked alone (its structure and {@link DrillCheck#problems(Drill)}).
     *
     * @throws Invalid with every problem located
     */
    public static Drill parse(String text) {
        return parse(text, DrillCheck::problems);
    }

    /**
     * The drill, checked against the cloud it will run on ({@link DrillCheck#problems(Drill, DrillCheck.Cloud)}).
     *
     * @throws Invalid with every problem located
     */
    public static Drill parse(String text, DrillCheck.Cloud cloud) {
        return parse(text, d -> DrillCheck.problems(d, cloud));
    }

    private static Drill parse(String text, Function<Drill, List<PlanCheck.Problem>> check) {
        Node root = YamlFile.compose(text, MAX_BYTES, "drill", Invalid::new);
        Reader r = new Reader();
        Drill drill = root == null ? null : r.drill(root);
        if (root == null) {
            r.problem(null, "", "the file is empty: a drill is a mapping with name, announced, objectives, timeline (see phare drill init)");
        }
        if (drill != null) {
            for (PlanCheck.Problem p : check.apply(drill)) {
                r.locateInFile(p.path(), p.message());
            }
        }
        r.throwIfAny(Invalid::new);
        return drill;
    }

    /** The node tree mapped by hand; null (with problems) when the structure is wrong. */
    private static final class Reader extends YamlFile.Reader {
        /** For each step in the Drill's order (by offset), its index in the file. */
        private int[] fileIndex = new int[0];
        /** For each step of the file, where its agent fault's target is written ({@code timeline[3].crashAgent}). */
        private final Map<Integer, String> targets = new HashMap<>();
        /** Whether each step's target is a mapping (host/site/zone/count keys) or a zone or site written alone. */
        private final Map<Integer, Boolean> targetIsMapping = new HashMap<>();

        Reader() {
            super("drill");
        }

        Drill drill(Node root) {
            Map<String, Node> m = mapping(root, "", TOP);
            if (m == null) {
                return null;
            }
            String name = text(m, "name", "");
            String description = text(m, "description", "");
            Announcement announcement = announcement(m);
            Scope scope = m.containsKey("scope") ? scope(m.get("scope")) : Scope.EVERYTHING;
            List<Objective> objectives = list(m.get("objectives"), "objectives", this::objective);
            StopConditions stop = m.containsKey("stop") ? stop(m.get("stop")) : StopConditions.NONE;
            List<Step> timeline = list(m.get("timeline"), "timeline", this::step);
            if (!problems.isEmpty()) {
                return null;
            }
            // The Drill orders its steps by offset, stably: remember where each came from in the file.
            fileIndex = IntStream.range(0, timeline.size()).boxed()
                    .sorted(Comparator.comparingLong(i -> timeline.get(i).atMs())).mapToInt(Integer::intValue).toArray();
            return new Drill(name == null ? "" : name, description, objectives, scope, announcement, stop, timeline);
        }

        Announcement announcement(Map<String, Node> m) {
            if (!m.containsKey("announced")) {
                locate("announced", "say when the crisis cell hears of it: announced: 1d (a day ahead) or announced: surprise");
                return Announcement.SURPRISE;
            }
            String v = text(m, "announced", "");
            if ("surprise".equals(v)) {
                return Announcement.SURPRISE;
            }
            long ms = Durations.parseMs(v);
            if (ms <= 0) {
                problem(m.get("announced"), "announced", "a notice such as 1d or 12h, or surprise; got '" + v + "'");
                return Announcement.SURPRISE;
            }
            return new Announcement(ms);
        }

        Scope scope(Node n) {
            Map<String, Node> m = mapping(n, "scope", Set.of("region", "zones", "sites", "tenants"));
            if (m == null) {
                return Scope.EVERYTHING;
            }
            return new Scope(text(m, "region", "scope"), texts(m.get("zones"), "scope.zones"), texts(m.get("sites"), "scope.sites"),
                    texts(m.get("tenants"), "scope.tenants"));
        }

        StopConditions stop(Node n) {
            Map<String, Node> m = mapping(n, "stop", Set.of("maxInstancesDown"));
            Integer max = m == null ? null : integer(m, "maxInstancesDown", "stop");
            if (max != null && max < 0) {
                problem(m.get("maxInstancesDown"), "stop.maxInstancesDown", "a number of instances, 0 (no limit) or more");
                return StopConditions.NONE;
            }
            return max == null ? StopConditions.NONE : new StopConditions(max);
        }

        Objective objective(Node n, String p) {
            Set<String> allowed = new HashSet<>(OBJECTIVE_KINDS);
            allowed.addAll(Set.of("text", "within"));
            Map<String, Node> m = mapping(n, p, allowed);
            if (m == null) {
                return null;
            }
            String kind = exactlyOne(m, OBJECTIVE_KINDS, n, p, "an objective is one of");
            if (kind == null) {
                return null;
            }
            if (!"levelReached".equals(kind) && m.containsKey("within")) {
                problem(m.get("within"), p + ".within", "'within' goes with levelReached only");
            }
            String text = text(m, "text", p);
            return switch (kind) {
                case "outageWithin" -> {
                    Long ms = duration(m, "outageWithin", p);
                    yield ms == null ? null : new Objective.OutageWithin(text != null ? text
                            : "every watched instance answers again within " + Durations.format(ms), ms);
                }
                case "manualInterventions" -> {
                    Integer count = integer(m, "manualInterventions", p);
                    if (count != null && count != 0) {
                        problem(m.get(kind), p + "." + kind, "the objective is no manual intervention: 0, got " + count);
                    }
                    yield new Objective.NoManualIntervention(text != null ? text : "no manual intervention");
                }
                case "functionsCoveredAtLevel" -> {
                    Integer level = integer(m, kind, p);
                    yield level == null ? null : new Objective.FunctionsCovered(text != null ? text
                            : "every critical function covered at level " + level, level);
                }
                default -> {
                    Integer level = integer(m, kind, p);
                    Long within = m.containsKey("within") ? duration(m, "within", p) : null;
                    if (!m.containsKey("within")) {
                        problem(n, p + ".within", "levelReached needs 'within': how long after the start, such as 5m");
                    }
                    yield level == null || within == null ? null : new Objective.LevelReached(text != null ? text
                            : "level " + level + " or more within " + Durations.format(within), level, within);
                }
            };
        }

        Step step(Node n, String p) {
            Set<String> allowed = new HashSet<>(ACTIONS);
            allowed.addAll(Set.of("at", "for", "within", "seed"));
            Map<String, Node> m = mapping(n, p, allowed);
            if (m == null) {
                return null;
            }
            Long at = m.containsKey("at") ? duration(m, "at", p) : null;
            if (!m.containsKey("at")) {
                problem(n, p + ".at", "when the step comes, counted from the start: at: 0s, at: 10m");
            }
            String action = exactlyOne(m, ACTIONS, n, p, "a step does one of");
            if (action == null) {
                return null;
            }
            modifier(m, "for", TIMED.contains(action), action, p, "people faults last until the drill ends");
            modifier(m, "within", "checkLevel".equals(action), action, p, "it goes with checkLevel");
            modifier(m, "seed", "absent".equals(action), action, p, "it goes with absent");
            Long forMs = m.containsKey("for") ? duration(m, "for", p) : Long.valueOf(0);
            int index = Integer.parseInt(p.substring(p.indexOf('[') + 1, p.length() - 1));
            Fault fault = fault(action, m, p, index, forMs == null ? 0 : forMs);
            return at == null || fault == null || forMs == null ? null : new Step(at, fault);
        }

        Fault fault(String action, Map<String, Node> m, String p, int index, long forMs) {
            String q = p + "." + action;
            Node v = m.get(action);
            return switch (action) {
                case "loseZone", "loseSite" -> {
                    String where = scalar(v, q);
                    targets.put(index, q);
                    targetIsMapping.put(index, false);
                    yield new Fault.AgentFault(Fault.AgentAction.CRASH, "loseZone".equals(action)
                            ? new Fault.Target(null, null, where, 0) : new Fault.Target(null, where, null, 0), forMs);
                }
                case "crashAgent", "freezeAgent", "isolateAgent" -> {
                    Fault.Target target = target(v, q);
                    targets.put(index, q);
                    targetIsMapping.put(index, true);
                    Fault.AgentAction a = switch (action) {
                        case "crashAgent" -> Fault.AgentAction.CRASH;
                        case "freezeAgent" -> Fault.AgentAction.FREEZE;
                        default -> Fault.AgentAction.ISOLATE;
                    };
                    yield target == null ? null : new Fault.AgentFault(a, target, forMs);
                }
                case "leader" -> {
                    String what = scalar(v, q);
                    Fault.LeaderAction a = what == null ? null : switch (what) {
                        case "stop" -> Fault.LeaderAction.STOP;
                        case "freeze" -> Fault.LeaderAction.FREEZE;
                        case "step-down" -> Fault.LeaderAction.STEP_DOWN;
                        default -> null;
                    };
                    if (a == null) {
                        problem(v, q, "stop, freeze or step-down, got '" + what + "'");
                        yield null;
                    }
                    yield new Fault.LeaderFault(a, forMs);
                }
                case "absent" -> {
                    String share = scalar(v, q);
                    Matcher pm = share == null ? null : PERCENT.matcher(share.strip());
                    if (pm == null || !pm.matches()) {
                        problem(v, q, "a share of the roster such as 30% (1 to 100), got '" + share + "'");
                        yield null;
                    }
                    Integer seed = m.containsKey("seed") ? integer(m, "seed", p) : Integer.valueOf(0);
                    yield seed == null ? null : new Fault.Absence(Integer.parseInt(pm.group(1)), seed);
                }
                case "quarantine" -> new Fault.Quarantine(texts(v, q));
                case "closure" -> {
                    Map<String, Node> c = mapping(v, q, Set.of("siteOrArea", "order"));
                    yield c == null ? null : new Fault.ClosureOrder(text(c, "siteOrArea", q), text(c, "order", q));
                }
                case "transportLost" -> {
                    Map<String, Node> t = mapping(v, q, Set.of("area", "reason"));
                    yield t == null ? null : new Fault.TransportLost(text(t, "area", q), text(t, "reason", q));
                }
                default -> {
                    Integer level = integer(m, "checkLevel", p);
                    Long within = m.containsKey("within") ? duration(m, "within", p) : Long.valueOf(0);
                    if (!m.containsKey("within")) {
                        problem(m.get(action), p + ".within", "checkLevel needs 'within': how long after the step, such as 5m");
                    }
                    yield level == null || within == null ? null : new Fault.LevelCheck(level, within);
                }
            };
        }

        Fault.Target target(Node n, String q) {
            Map<String, Node> t = mapping(n, q, Set.of("host", "site", "zone", "count"));
            if (t == null) {
                return null;
            }
            Integer count = t.containsKey("count") ? integer(t, "count", q) : Integer.valueOf(0);
            return count == null ? null : new Fault.Target(text(t, "host", q), text(t, "site", q), text(t, "zone", q), count);
        }

        /** The one key of {@code kinds} the mapping has; null (and a problem) when it has none or several. */
        String exactlyOne(Map<String, Node> m, List<String> kinds, Node n, String p, String expected) {
            List<String> given = kinds.stream().filter(m::containsKey).toList();
            if (given.size() != 1) {
                problem(n, p, expected + " " + String.join(", ", kinds) + (given.isEmpty() ? ": none given" : ", not several: "
                        + String.join(", ", given)));
                return null;
            }
            return given.getFirst();
        }

        void modifier(Map<String, Node> m, String key, boolean allowed, String action, String p, String why) {
            if (m.containsKey(key) && !allowed) {
                problem(m.get(key), p + "." + key, "'" + key + "' does not go with " + action + ": " + why);
            }
        }

        Long duration(Map<String, Node> m, String key, String p) {
            String v = text(m, key, p);
            long ms = Durations.parseMs(v);
            if (ms < 0) {
                problem(m.get(key), p.isEmpty() ? key : p + "." + key, "a duration such as 30s, 5m, 2h or 1d, got '" + v + "'");
                return null;
            }
            return ms;
        }

        /**
         * A problem of {@link DrillCheck}, placed on the file's line: its steps are counted in the file's order, and
         * an agent fault's target is where the file wrote it.
         */
        void locateInFile(String path, String message) {
            Matcher step = STEP.matcher(path);
            String p = path;
            if (step.find()) {
                int k = Integer.parseInt(step.group(1));
                int i = k < fileIndex.length ? fileIndex[k] : k;
                p = "timeline[" + i + "]" + path.substring(step.end());
                String target = "timeline[" + i + "].target";
                if (p.startsWith(target) && targets.containsKey(i)) {
                    String rest = p.substring(target.length());
                    p = targets.get(i) + (targetIsMapping.get(i) ? rest : "");
                }
            }
            locate(p, message);
        }
    }
}
