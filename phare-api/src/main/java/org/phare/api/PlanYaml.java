package org.phare.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.phare.core.continuity.Plan;
import org.phare.core.continuity.PlanCheck;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The continuity plan as a YAML file: read with every problem located (line, column and the field's path), written
 * back for {@code phare plan show}. Reading is a {@link YamlFile.Reader}, so that an unknown field, a wrong type and
 * a rule of {@link PlanCheck} are all reported the same way.
 */
public final class PlanYaml {
    /** Largest plan file accepted. */
    public static final int MAX_BYTES = 1 << 20;

    /** The file is not a valid plan; every problem found is listed, in file order. */
    public static final class Invalid extends YamlFile.Invalid {
        Invalid(List<YamlFile.Located> problems) {
            super("plan", problems);
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
        Node root = YamlFile.compose(text, MAX_BYTES, "plan", Invalid::new);
        Reader r = new Reader();
        Plan plan = root == null ? null : r.plan(root);
        if (plan == null && r.problems.isEmpty()) {
            r.problem(root, "", "the file is empty: a plan is a mapping with name, timezone, roles, levels, sites, functions");
        }
        if (r.problems.isEmpty()) {
            for (PlanCheck.Problem p : PlanCheck.problems(plan)) {
                r.locate(p.path(), p.message());
            }
        }
        r.throwIfAny(Invalid::new);
        return plan;
    }

    /** The node tree mapped by hand, every value's position kept under its path. */
    private static final class Reader extends YamlFile.Reader {
        Reader() {
            super("plan");
        }

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
