package org.phare.server.ec2;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters of an EC2 query request ({@code application/x-www-form-urlencoded}), with the accessors of its
 * flattened lists: {@code InstanceId.1}, {@code Filter.2.Value.1}, {@code TagSpecification.1.Tag.3.Key}. Members
 * of a list are taken in numeric index order (so {@code .10} comes after {@code .9}), as EC2 does.
 */
final class QueryParams {
    /** Bounds that keep a hostile request from costing much: parameters, members of a list. */
    static final int MAX_PARAMETERS = 2_000;
    static final int MAX_MEMBERS = 1_000;

    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    /** Parses a form body or a query string. */
    static QueryParams parse(String form) {
        Map<String, String> values = new HashMap<>();
        if (form == null || form.isEmpty()) {
            return new QueryParams(values);
        }
        int count = 0;
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++count > MAX_PARAMETERS) {
                throw Ec2Error.invalid("a request carries at most " + MAX_PARAMETERS + " parameters");
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.put(key, value);
            } catch (IllegalArgumentException e) {
                throw Ec2Error.invalid("the parameter '" + pair + "' is not form-encoded: " + e.getMessage());
            }
        }
        return new QueryParams(values);
    }

    String get(String name) {
        return values.get(name);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            throw Ec2Error.missing(name);
        }
        return v;
    }

    Integer integer(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw Ec2Error.invalid("Value (" + v + ") for parameter " + name + " is invalid. Expected an integer.");
        }
    }

    boolean bool(String name) {
        String v = values.get(name);
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Ec2Error.invalid("Value (" + v + ") for parameter " + name + " is invalid. Expected true or false.");
        };
    }

    /** The values of {@code prefix.1}, {@code prefix.2}, ... in index order. */
    List<String> list(String prefix) {
        List<String> out = new ArrayList<>();
        for (Map<String, String> member : members(prefix).values()) {
            String v = member.get("");
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /**
     * The members of a list of structures, in index order: for each {@code prefix.N.rest=value}, the map of
     * {@code rest -> value} (the empty string for {@code prefix.N=value} itself).
     */
    TreeMap<Integer, Map<String, String>> members(String prefix) {
        TreeMap<Integer, Map<String, String>> members = new TreeMap<>();
        String p = prefix + ".";
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(p)) {
                continue;
            }
            String rest = key.substring(p.length());
            int dot = rest.indexOf('.');
            String index = dot < 0 ? rest : rest.substring(0, dot);
            int n;
            try {
                n = Integer.parseInt(index);
            } catch (NumberFormatException ex) {
                throw Ec2Error.invalid("the parameter " + key + " has no numeric index");
            }
            if (n < 1 || n > MAX_MEMBERS) {
                throw Ec2Error.invalid("the index of " + key + " must be between 1 and " + MAX_MEMBERS);
            }
            members.computeIfAbsent(n, k -> new HashMap<>()).put(dot < 0 ? "" : rest.substring(dot + 1), e.getValue());
        }
        return members;
    }

    /** A list nested in a member ({@code Value.1}, {@code Value.2} of a filter), in index order. */
    static List<String> nested(Map<String, String> member, String prefix) {
        return new QueryParams(member).list(prefix);
    }

    /** {@code Filter.N.Name} and {@code Filter.N.Value.M}, by name, in index order. */
    Map<String, List<String>> filters() {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (Map<String, String> f : members("Filter").values()) {
            String name = f.get("Name");
            if (name == null || name.isEmpty()) {
                throw Ec2Error.missing("Filter.N.Name");
            }
            filters.computeIfAbsent(name, k -> new ArrayList<>()).addAll(nested(f, "Value"));
        }
        return filters;
    }

    /** Tags of {@code prefix.N.Key} / {@code prefix.N.Value}; a missing value is null. */
    List<org.phare.core.model.Tag> tags(String prefix) {
        return tags(members(prefix));
    }

    static List<org.phare.core.model.Tag> tags(TreeMap<Integer, Map<String, String>> members) {
        List<org.phare.core.model.Tag> tags = new ArrayList<>();
        for (Map<String, String> t : members.values()) {
            String key = t.get("Key");
            if (key == null) {
                throw Ec2Error.missing("Tag.N.Key");
            }
            tags.add(new org.phare.core.model.Tag(key, t.get("Value")));
        }
        return tags;
    }

    /** The sub-members {@code rest} of a member map whose keys start with {@code prefix.} (e.g. a TagSpecification's tags). */
    static TreeMap<Integer, Map<String, String>> members(Map<String, String> member, String prefix) {
        return new QueryParams(member).members(prefix);
    }
}
