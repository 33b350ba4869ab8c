package org.phare.api;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
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
 * What the YAML files people write (the continuity plan, a drill) share: every problem located by line, column and
 * the field's path, all of them reported at once. A file is composed into SnakeYAML's node tree, which keeps
 * positions, and mapped by hand by a {@link Reader}, so that an unknown field, a wrong type and a rule of the domain
 * read the same way.
 */
public final class YamlFile {
    private YamlFile() {
    }

    /** A problem and where it is. */
    public record Located(int line, int column, String path, String message) {
        @Override
        public String toString() {
            return "line " + line + ", column " + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
        }
    }

    /** The file is not valid; every problem found is listed, in file order. Each kind of file has its own subclass. */
    public static class Invalid extends RuntimeException {
        private final List<Located> problems;

        Invalid(String what, List<Located> problems) {
            super(problems.size() + " problem(s) in the " + what + ": "
                    + String.join("; ", problems.stream().limit(20).map(Object::toString).toList()));
            this.problems = List.copyOf(problems);
        }

        public List<Located> problems() {
            return problems;
        }
    }

    /**
     * The file's node tree, or null when it is empty.
     *
     * @param what    the kind of file, for the messages ("plan")
     * @param invalid makes the exception of this kind of file
     */
    static Node compose(String text, int maxBytes, String what, Function<List<Located>, ? extends Invalid> invalid) {
        if (text.length() > maxBytes) {
            throw invalid.apply(List.of(new Located(1, 1, "", "a " + what + " file is at most " + maxBytes + " bytes")));
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(maxBytes);
        try {
            return new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw invalid.apply(List.of(new Located(m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, "",
                    "not valid YAML: " + e.getProblem())));
        } catch (RuntimeException e) {
            throw invalid.apply(List.of(new Located(1, 1, "", "not valid YAML: " + e.getMessage())));
        }
    }

    /** The node tree mapped by hand, every value's position kept under its path. */
    static class Reader {
        final List<Located> problems = new ArrayList<>();
        final Map<String, Mark> marks = new HashMap<>();
        private final String what;

        Reader(String what) {
            this.what = what;
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
                            + String.join(", ", new TreeSet<>(allowed)) + ")");
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
                problem(m.get(key), p.isEmpty() ? key : p + "." + key, "a whole number, got '" + v + "'");
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

        /** A problem the domain's rules found, placed at its field, or at the nearest enclosing field that was seen. */
        void locate(String path, String message) {
            Mark m = marks.getOrDefault(path, closest(path));
            problems.add(new Located(m.getLine() + 1, m.getColumn() + 1, path, message));
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
            return marks.getOrDefault("", new Mark(what, 0, 0, 0, new int[0], 0));
        }

        /** @throws Invalid with every problem, in file order, when there is any */
        void throwIfAny(Function<List<Located>, ? extends Invalid> invalid) {
            if (!problems.isEmpty()) {
                problems.sort(Comparator.comparingInt(Located::line).thenComparingInt(Located::column));
                throw invalid.apply(problems);
            }
        }
    }
}
