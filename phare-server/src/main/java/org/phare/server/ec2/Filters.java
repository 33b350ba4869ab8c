package org.phare.server.ec2;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * EC2 filters: a resource matches when, for every filter, one of its values for that name matches one of the
 * filter's values ({@code *} and {@code ?} are wildcards, {@code \} escapes them). {@code tag:KEY} filters on a
 * tag's value. Matching uses no regular expression (two pointers: at worst the product of the two lengths, both
 * bounded) and runs on the request's thread, never on the control loop.
 */
final class Filters {
    /** Bounds on what one request may ask the control loop to match. */
    static final int MAX_FILTERS = 50;
    static final int MAX_VALUES = 200;
    static final int MAX_VALUE_LENGTH = 256;

    private final Map<String, List<Glob>> filters = new HashMap<>();

    /**
     * @param allowed the filter names the action knows ({@code tag:KEY} is allowed when {@code tags} is true)
     * @throws Ec2Error {@code InvalidParameterValue} on an unknown filter name or a filter without values
     */
    Filters(Map<String, List<String>> given, Set<String> allowed, boolean tags) {
        if (given.size() > MAX_FILTERS) {
            throw Ec2Error.invalid("at most " + MAX_FILTERS + " filters per request");
        }
        for (Map.Entry<String, List<String>> f : given.entrySet()) {
            String name = f.getKey();
            if (!allowed.contains(name) && !(tags && name.startsWith("tag:") && name.length() > 4)) {
                throw Ec2Error.invalid("The filter '" + name + "' is invalid");
            }
            if (f.getValue().isEmpty()) {
                throw Ec2Error.invalid("The filter '" + name + "' needs at least one value (Filter.N.Value.1)");
            }
            if (f.getValue().size() > MAX_VALUES || f.getValue().stream().anyMatch(v -> v.length() > MAX_VALUE_LENGTH
                    || v.indexOf('\u0001') >= 0 || v.indexOf('\u0002') >= 0)) {
                throw Ec2Error.invalid("The filter '" + name + "' takes at most " + MAX_VALUES + " values of at most "
                        + MAX_VALUE_LENGTH + " characters");
            }
            filters.put(name, f.getValue().stream().map(Filters::glob).toList());
        }
    }

    boolean isEmpty() {
        return filters.isEmpty();
    }

    /** @param values the resource's values for a filter name (empty list: it has none) */
    boolean matches(Function<String, List<String>> values) {
        for (Map.Entry<String, List<Glob>> f : filters.entrySet()) {
            boolean any = false;
            for (String v : values.apply(f.getKey())) {
                if (v != null && f.getValue().stream().anyMatch(g -> g.matches(v))) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /** A filter value: literal characters and wildcards, matched in linear time (no regular expression). */
    record Glob(String pattern) {
        boolean matches(String text) {
            // The classic two-pointer wildcard match: on a mismatch, retry from the last '*' one character further.
            int p = 0;
            int t = 0;
            int star = -1;
            int mark = 0;
            String pat = pattern;
            while (t < text.length()) {
                if (p < pat.length() && pat.charAt(p) == '\u0001') {
                    star = p++;
                    mark = t;
                } else if (p < pat.length() && (pat.charAt(p) == '\u0002' || pat.charAt(p) == text.charAt(t))) {
                    p++;
                    t++;
                } else if (star >= 0) {
                    p = star + 1;
                    t = ++mark;
                } else {
                    return false;
                }
            }
            while (p < pat.length() && pat.charAt(p) == '\u0001') {
                p++;
            }
            return p == pat.length();
        }
    }

    /** {@code *} any run, {@code ?} one character, {@code \} escapes; runs of {@code *} count as one. */
    static Glob glob(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                sb.append(value.charAt(++i));
            } else if (c == '*') {
                if (sb.isEmpty() || sb.charAt(sb.length() - 1) != '\u0001') {
                    sb.append('\u0001');
                }
            } else if (c == '?') {
                sb.append('\u0002');
            } else {
                sb.append(c);
            }
        }
        return new Glob(sb.toString());
    }
}
