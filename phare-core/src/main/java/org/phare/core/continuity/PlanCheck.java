package org.phare.core.continuity;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a plan must follow, each refusal naming the field by its path ({@code levels[2].measures[0].owner}) so
 * that a reader of the file can map it to a line.
 */
public final class PlanCheck {
    public static final Set<String> REMOTE = Set.of("none", "at-risk", "everyone");
    public static final Set<String> CATEGORIES = Set.of("health", "meetings", "transport", "remote-work", "operations",
            "security", "communication", "facilities");
    public static final Set<String> TRIGGERS = Set.of("manual", "absenteeism", "closure-order", "transport-loss", "infrastructure");
    public static final Set<String> ACTIONS = Set.of("raise", "recommend");
    public static final Set<String> SITE_KINDS = Set.of("office", "datacenter");
    public static final int MAX_LEVELS = 10;
    public static final int MAX_ITEMS = 1000;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

    /** A refused field. */
    public record Problem(String path, String message) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }

    private PlanCheck() {
    }

    /** Every problem of the plan, in file order; empty when it is valid. */
    public static List<Problem> problems(Plan plan) {
        List<Problem> out = new ArrayList<>();
        require(out, "name", plan.name() != null && !plan.name().isBlank(), "a plan has a name");
        if (plan.timezone() == null || !validZone(plan.timezone())) {
            out.add(new Problem("timezone", "an IANA time zone such as Europe/Paris is required, got '" + plan.timezone() + "'"));
        }
        Set<String> roles = new HashSet<>();
        for (int i = 0; i < plan.roles().size(); i++) {
            String r = plan.roles().get(i);
            if (!id(r)) {
                out.add(new Problem("roles[" + i + "]", "a role is 1 to 63 lower-case letters, digits or '-', got '" + r + "'"));
            } else if (!roles.add(r)) {
                out.add(new Problem("roles[" + i + "]", "role '" + r + "' is listed twice"));
            }
        }
        require(out, "roles", !plan.roles().isEmpty(), "at least one role is needed");
        checkLevels(plan, roles, out);
        Set<String> siteIds = new HashSet<>();
        for (int i = 0; i < plan.sites().size(); i++) {
            Plan.PlanSite s = plan.sites().get(i);
            String p = "sites[" + i + "]";
            if (!id(s.id())) {
                out.add(new Problem(p + ".id", "a site id is 1 to 63 lower-case letters, digits or '-', got '" + s.id() + "'"));
            } else if (!siteIds.add(s.id())) {
                out.add(new Problem(p + ".id", "site '" + s.id() + "' is listed twice"));
            }
            oneOf(out, p + ".kind", s.kind(), SITE_KINDS);
            require(out, p + ".area", s.area() != null && !s.area().isBlank(), "the address area is required (a city, a district)");
            if (s.zone() != null && !"datacenter".equals(s.kind())) {
                out.add(new Problem(p + ".zone", "only a datacenter serves a zone"));
            }
        }
        Set<String> functionIds = new HashSet<>();
        for (int i = 0; i < plan.functions().size(); i++) {
            Plan.CriticalFunction f = plan.functions().get(i);
            String p = "functions[" + i + "]";
            if (!id(f.id())) {
                out.add(new Problem(p + ".id", "a function id is 1 to 63 lower-case letters, digits or '-', got '" + f.id() + "'"));
            } else if (!functionIds.add(f.id())) {
                out.add(new Problem(p + ".id", "function '" + f.id() + "' is listed twice"));
            }
            require(out, p + ".name", f.name() != null && !f.name().isBlank(), "a function has a name");
            require(out, p + ".roles", !f.roles().isEmpty(), "at least one role qualifies for a function");
            for (int j = 0; j < f.roles().size(); j++) {
                knownRole(out, p + ".roles[" + j + "]", f.roles().get(j), roles);
            }
            if (f.minimum().size() != plan.levels().size()) {
                out.add(new Problem(p + ".minimum", "one number per level (" + plan.levels().size() + "), got " + f.minimum().size()));
            }
            for (int j = 0; j < f.minimum().size(); j++) {
                Integer n = f.minimum().get(j);
                if (n == null || n < 0 || n > 100_000) {
                    out.add(new Problem(p + ".minimum[" + j + "]", "a number of people between 0 and 100000, got " + n));
                }
            }
        }
        require(out, "functions", plan.functions().size() <= MAX_ITEMS && plan.sites().size() <= MAX_ITEMS
                && plan.roles().size() <= MAX_ITEMS, "at most " + MAX_ITEMS + " roles, sites and functions");
        return out;
    }

    private static void checkLevels(Plan plan, Set<String> roles, List<Problem> out) {
        if (plan.levels().size() < 2 || plan.levels().size() > MAX_LEVELS) {
            out.add(new Problem("levels", "between 2 and " + MAX_LEVELS + " levels, numbered from 0, got " + plan.levels().size()));
        }
        int everyoneFrom = -1;
        for (int i = 0; i < plan.levels().size(); i++) {
            Plan.Level l = plan.levels().get(i);
            String p = "levels[" + i + "]";
            if (l.level() != i) {
                out.add(new Problem(p + ".level", "levels are numbered 0, 1, 2... in order: expected " + i + ", got " + l.level()));
            }
            require(out, p + ".name", l.name() != null && !l.name().isBlank(), "a level has a name");
            oneOf(out, p + ".remote", l.remote(), REMOTE);
            if ("everyone".equals(l.remote()) && everyoneFrom < 0) {
                everyoneFrom = i;
            } else if (everyoneFrom >= 0 && !"everyone".equals(l.remote())) {
                out.add(new Problem(p + ".remote", "level " + everyoneFrom + " already sends everyone home: a higher level cannot ask less"));
            }
            for (int j = 0; j < l.measures().size(); j++) {
                Plan.Measure m = l.measures().get(j);
                String q = p + ".measures[" + j + "]";
                require(out, q + ".text", m.text() != null && !m.text().isBlank(), "a measure says what to do");
                oneOf(out, q + ".category", m.category(), CATEGORIES);
                knownRole(out, q + ".owner", m.owner(), roles);
            }
            for (int j = 0; j < l.triggers().size(); j++) {
                Plan.Trigger t = l.triggers().get(j);
                String q = p + ".triggers[" + j + "]";
                oneOf(out, q + ".on", t.on(), TRIGGERS);
                oneOf(out, q + ".action", t.action(), ACTIONS);
                if ("absenteeism".equals(t.on())) {
                    require(out, q + ".threshold", t.threshold() != null && t.threshold() > 0 && t.threshold() <= 100,
                            "absenteeism needs a threshold, a percentage above 0 and at most 100");
                } else if (t.threshold() != null) {
                    out.add(new Problem(q + ".threshold", "only an absenteeism trigger has a threshold"));
                }
                if (i == 0) {
                    out.add(new Problem(q + ".on", "level 0 is normal operation: nothing triggers it"));
                }
            }
            Set<String> times = new HashSet<>();
            for (int j = 0; j < l.meetings().size(); j++) {
                String t = l.meetings().get(j);
                if (t == null || !TIME.matcher(t).matches()) {
                    out.add(new Problem(p + ".meetings[" + j + "]", "a meeting time is HH:MM (00:00 to 23:59), got '" + t + "'"));
                } else if (!times.add(t)) {
                    out.add(new Problem(p + ".meetings[" + j + "]", "meeting time " + t + " is listed twice"));
                }
            }
        }
    }

    private static void require(List<Problem> out, String path, boolean ok, String message) {
        if (!ok) {
            out.add(new Problem(path, message));
        }
    }

    private static void oneOf(List<Problem> out, String path, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            out.add(new Problem(path, "one of " + String.join(", ", new java.util.TreeSet<>(allowed)) + ", got '" + value + "'"));
        }
    }

    private static void knownRole(List<Problem> out, String path, String role, Set<String> roles) {
        if (role == null || !roles.contains(role)) {
            out.add(new Problem(path, "role '" + role + "' is not among the plan's roles (" + String.join(", ",
                    new java.util.TreeSet<>(roles)) + ")"));
        }
    }

    private static boolean id(String s) {
        return s != null && ID.matcher(s).matches();
    }

    /** Without touching the clock or the time-zone database's files: the JDK's built-in list. */
    private static boolean validZone(String zone) {
        return java.time.ZoneId.getAvailableZoneIds().contains(zone);
    }
}
