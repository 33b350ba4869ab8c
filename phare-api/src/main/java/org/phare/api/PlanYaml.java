package org.phare.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.phare.core.continuity.Plan;
import org.phare.core.continuity.PlanCheck;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The continuity plan as a YAML file: read with every problem located (line, column and the field's path), written
 * back for {@code phare plan show}. Reading composes SnakeYAML's node tree (which keeps positions) and maps it by
 * hand, so that an unknown field, a wrong type and a rule of {@link PlanCheck} are all reported the same way.
 */
public final class PlanYaml {
    /** Largest plan file accepted. */
    public static final int MAX_BYTES = 1 << 20;

    /** A problem and where it is. */
    public record Located(int line, int column, String path, String message) {
        @Override
        public String toString() {
            return "line " + line + ", column " + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
        }
    }

    /** The file is not a valid plan; every problem found is listed, in file order. */
    public static final class Invalid extends RuntimeException {
        private final List<Located> problems;

        Invalid(List<Located> problems) {
            super(problems.size() + " problem(s) in the plan: " + String.join("; ", problems.stream().limit(20).map(Object::toString).toList()));
            this.problems = List.copyOf(problems);
        }

        public List<Located> problems() {
            return problems;
        }
    }

    private PlanYaml() {
    }

    /** The default plan, modelled on the seed's (levels 0 to 4), with its comments: what {@code phare plan init} writes. */
    public static String defaultPlanText() {
        try (InputStream in = PlanYaml.class.getResourceAsStream("default-plan.yaml")) {
            return new String(java.util.Objects.requireNonNull(in, "default-plan.yaml").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws Invalid with every problem located */
    public static Plan parse(String text) {
        if (text.length() > MAX_BYTES) {
            throw new Invalid(List.of(new Located(1, 1, "", "a plan file is at most " + MAX_BYTES + " bytes")));
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(MAX_BYTES);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new Invalid(List.of(new Located(m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, "",
                    "not valid YAML: " + e.getProblem())));
        } catch (RuntimeException e) {
            throw new Invalid(List.of(new Located(1, 1, "", "not valid YAML: " + e.getMessage())));
        }
        Reader r = new Reader();
        Plan plan = root == null ? null : r.plan(root);
        if (plan == null && r.problems.isEmpty()) {
            r.problem(root, "", "the file is empty: a plan is a mapping with name, timezone, roles, levels, sites, functions");
        }
        if (r.problems.isEmpty()) {
            for (PlanCheck.Problem p : PlanCheck.problems(plan)) {
                Mark m = r.marks.getOrDefault(p.path(), r.closest(p.path()));
                r.problems.add(new Located(m.getLine() + 1, m.getColumn() + 1, p.path(), p.message()));
            }
        }
        if (!r.problems.isEmpty()) {
            r.problems.sort(java.util.Comparator.comparingInt(Located::line).thenComparingInt(Located::column));
            throw new Invalid(r.problems);
        }
        return plan;
    }

    /** The node tree mapped by hand, every value's position kept under its path. */
    private static final class Reader {
        final List<Located> problems = new ArrayList<>();
        final Map<String, Mark> marks = new HashMap<>();

        Plan plan(Node root) {
            Map<String, Node> m = mapping(root, "", Set.of("name", "timezone", "roles", "levels", "sites", "functions"));
            if (m == null) {
                return null;
            }
            return new Plan(text(m, "name", ""), text(m, "timezone", ""), texts(m.get("roles"), "roles"),
                    list(m.get("levels"), "levels", this::level), list(m.get("sites"), "sites", this::site),
                    list(m.get("functions"), "functions", this::function));
        }

        Plan.Level level(Node n, String p) {
            Map<String, Node> m = mapping(n, p, Set.of("level", "name", "remote", "measures", "triggers", "meetings"));
            if (m == null) {
                return null;
            }
            Integer level = integer(m, "level", p);
            return new Plan.Level(level == null ? -1 : level, text(m, "name", p), text(m, "remote", p),
                    list(m.get("measures"), p + ".measures", this::measure), list(m.get("triggers"), p + ".triggers", this::trigger),
                    texts(m.get("meetings"), p + ".meetings"));
        }

        Plan.Measure measure(Node n, String p) {
            Map<String, Node> m = mapping(n, p, Set.of("text", "category", "owner"));
            return m == null ? null : new Plan.Measure(text(m, "text", p), text(m, "category", p), text(m, "owner", p));
        }

        Plan.Trigger trigger(Node n, String p) {
            Map<String, Node> m = mapping(n, p, Set.of("on", "action", "threshold"));
            if (m == null) {
                return null;
            }
            Double threshold = null;
            if (m.containsKey("threshold")) {
                String t = scalar(m.get("threshold"), p + ".threshold");
                try {
                    threshold = t == null ? null : Double.parseDouble(t.endsWith("%") ? t.substring(0, t.length() - 1) : t);
                } catch (NumberFormatException e) {
                    problem(m.get("threshold"), p + ".threshold", "a percentage such as 30 or 30%, got '" + t + "'");
                }
            }
            return new Plan.Trigger(text(m, "on", p), text(m, "action", p), threshold);
        }

        Plan.PlanSite site(Node n, String p) {
            Map<String, Node> m = mapping(n, p, Set.of("id", "kind", "area", "zone"));
            return m == null ? null : new Plan.PlanSite(text(m, "id", p), text(m, "kind", p), text(m, "area", p), text(m, "zone", p));
        }

        Plan.CriticalFunction function(Node n, String p) {
            Map<String, Node> m = mapping(n, p, Set.of("id", "name", "roles", "minimum"));
            if (m == null) {
                return null;
            }
            List<Integer> minimum = list(m.get("minimum"), p + ".minimum", (node, q) -> {
                String v = scalar(node, q);
                try {
                    return v == null ? null : Integer.valueOf(v);
                } catch (NumberFormatException e) {
                    problem(node, q, "a whole number of people, got '" + v + "'");
                    return null;
                }
            });
            return new Plan.CriticalFunction(text(m, "id", p), text(m, "name", p), texts(m.get("roles"), p + ".roles"), minimum);
        }

        /** A mapping's entries by key, refusing unknown keys; null (and a problem) when the node is not a mapping. */
        Map<String, Node> mapping(Node n, String p, Set<String> allowed) {
            if (!(n instanceof MappingNode mn)) {
                problem(n, p, "expected a mapping (key: value lines)");
                return null;
            }
            marks.put(p, n.getStartMark());
            Map<String, Node> out = new LinkedHashMap<>();
            for (NodeTuple t : mn.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
                String at = p.isEmpty() ? key : p + "." + key;
                if (key == null || !allowed.contains(key)) {
                    problem(t.getKeyNode(), at == null ? p : at, "unknown field '" + key + "' (expected one of "
                            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                    continue;
                }
                if (out.containsKey(key)) {
                    problem(t.getKeyNode(), at, "field '" + key + "' is given twice");
                    continue;
                }
                marks.put(at, t.getValueNode().getStartMark());
                out.put(key, t.getValueNode());
            }
            return out;
        }

        String text(Map<String, Node> m, String key, String p) {
            return m.containsKey(key) ? scalar(m.get(key), p.isEmpty() ? key : p + "." + key) : null;
        }

        Integer integer(Map<String, Node> m, String key, String p) {
            String v = text(m, key, p);
            try {
                return v == null ? null : Integer.valueOf(v);
            } catch (NumberFormatException e) {
                problem(m.get(key), p + "." + key, "a whole number, got '" + v + "'");
                return null;
            }
        }

        String scalar(Node n, String p) {
            if (!(n instanceof ScalarNode s)) {
                problem(n, p, "expected a single value, not a list or a mapping");
                return null;
            }
            marks.put(p, n.getStartMark());
            return s.getValue().isEmpty() && "null".equals(s.getTag().getValue().replace("tag:yaml.org,2002:", "")) ? null : s.getValue();
        }

        List<String> texts(Node n, String p) {
            return list(n, p, this::scalar);
        }

        <T> List<T> list(Node n, String p, BiFunction<Node, String, T> item) {
            if (n == null) {
                return List.of();
            }
            if (!(n instanceof SequenceNode sn)) {
                problem(n, p, "expected a list (lines starting with '- ')");
                return List.of();
            }
            marks.put(p, n.getStartMark());
            List<T> out = new ArrayList<>();
            for (int i = 0; i < sn.getValue().size(); i++) {
                Node child = sn.getValue().get(i);
                String q = p + "[" + i + "]";
                marks.put(q, child.getStartMark());
                out.add(item.apply(child, q));
            }
            return out;
        }

        void problem(Node n, String path, String message) {
            Mark m = n == null ? null : n.getStartMark();
            problems.add(new Located(m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, path, message));
        }

        /** The position of the nearest enclosing field that was seen (a missing field is reported on its parent). */
        Mark closest(String path) {
            String p = path;
            while (!p.isEmpty()) {
                if (marks.containsKey(p)) {
                    return marks.get(p);
                }
                int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
                p = cut < 0 ? "" : p.substring(0, cut);
            }
            return marks.getOrDefault("", new Mark("plan", 0, 0, 0, new int[0], 0));
        }
    }

    /** The plan as YAML (no comments): what {@code phare plan show -o yaml} prints. */
    public static String write(Plan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", plan.name());
        m.put("timezone", plan.timezone());
        m.put("roles", plan.roles());
        List<Object> levels = new ArrayList<>();
        for (Plan.Level l : plan.levels()) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("level", l.level());
            lm.put("name", l.name());
            lm.put("remote", l.remote());
            lm.put("meetings", l.meetings());
            lm.put("measures", l.measures().stream().map(x -> ordered("text", x.text(), "category", x.category(), "owner", x.owner())).toList());
            lm.put("triggers", l.triggers().stream().map(x -> ordered("on", x.on(), "action", x.action(), "threshold", x.threshold())).toList());
            levels.add(lm);
        }
        m.put("levels", levels);
        m.put("sites", plan.sites().stream().map(s -> ordered("id", s.id(), "kind", s.kind(), "area", s.area(), "zone", s.zone())).toList());
        m.put("functions", plan.functions().stream().map(f -> ordered("id", f.id(), "name", f.name(), "roles", f.roles(),
                "minimum", f.minimum())).toList());
        DumperOptions d = new DumperOptions();
        d.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        d.setIndent(2);
        d.setIndicatorIndent(0);
        return new Yaml(d).dump(m);
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }
}
