package org.phare.server.ec2;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * EC2 filters: a resource matches when, for every filter, one of its values for that name matches one of the
 * filter's values ({@code *} and {@code ?} are wildcards, {@code \} escapes them). {@code tag:KEY} filters on a
 * tag's value.
 */
final class Filters {
    private final Map<String, List<Pattern>> filters = new HashMap<>();

    /**
     * @param allowed the filter names the action knows ({@code tag:KEY} is allowed when {@code tags} is true)
     * @throws Ec2Error {@code InvalidParameterValue} on an unknown filter name or a filter without values
     */
    Filters(Map<String, List<String>> given, Set<String> allowed, boolean tags) {
        for (Map.Entry<String, List<String>> f : given.entrySet()) {
            String name = f.getKey();
            if (!allowed.contains(name) && !(tags && name.startsWith("tag:") && name.length() > 4)) {
                throw Ec2Error.invalid("The filter '" + name + "' is invalid");
            }
            if (f.getValue().isEmpty()) {
                throw Ec2Error.invalid("The filter '" + name + "' needs at least one value (Filter.N.Value.1)");
            }
            filters.put(name, f.getValue().stream().map(Filters::glob).toList());
        }
    }

    boolean isEmpty() {
        return filters.isEmpty();
    }

    /** @param values the resource's values for a filter name (empty list: it has none) */
    boolean matches(Function<String, List<String>> values) {
        for (Map.Entry<String, List<Pattern>> f : filters.entrySet()) {
            boolean any = false;
            for (String v : values.apply(f.getKey())) {
                if (v != null && f.getValue().stream().anyMatch(p -> p.matcher(v).matches())) {
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

    static Pattern glob(String value) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                literal.append(value.charAt(++i));
            } else if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
