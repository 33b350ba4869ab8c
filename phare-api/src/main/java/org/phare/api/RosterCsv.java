package org.phare.api;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.phare.core.continuity.Person;
import org.phare.core.continuity.Plan;

/**
 * The roster file: {@code id,name,roles,site,vpn,mfa,at_risk}, roles separated by {@code ;}, the last three
 * {@code yes} or {@code no}. Each line is taken or rejected on its own, with its line number and the reason.
 */
public final class RosterCsv {
    public static final List<String> HEADER = List.of("id", "name", "roles", "site", "vpn", "mfa", "at_risk");
    public static final int MAX_PEOPLE = 100_000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /** A line not taken, and why (never its content: it may hold health data). */
    public record Rejected(long line, String reason) {}

    public record Result(List<Person> people, List<Rejected> rejected) {}

    private RosterCsv() {
    }

    /**
     * @param plan the plan in force, whose roles and sites the lines must name (null: not checked)
     * @throws IllegalArgumentException when the file as a whole is unreadable (no or another header)
     */
    public static Result parse(String text, Plan plan) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).get();
        List<Person> people = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        Set<String> roles = plan == null ? null : new HashSet<>(plan.roles());
        Set<String> sites = null;
        if (plan != null) {
            sites = new HashSet<>();
            for (Plan.PlanSite s : plan.sites()) {
                sites.add(s.id());
            }
        }
        Set<String> seen = new HashSet<>();
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(format).get()) {
            List<String> header = parser.getHeaderNames().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
            if (!header.equals(HEADER)) {
                throw new IllegalArgumentException("the first line must be the header " + String.join(",", HEADER) + ", got "
                        + String.join(",", parser.getHeaderNames()));
            }
            for (CSVRecord r : parser) {
                long line = r.getParser().getCurrentLineNumber();
                if (people.size() >= MAX_PEOPLE) {
                    rejected.add(new Rejected(line, "a roster holds at most " + MAX_PEOPLE + " people"));
                    continue;
                }
                String reason = check(r, roles, sites, seen);
                if (reason != null) {
                    rejected.add(new Rejected(line, reason));
                    continue;
                }
                seen.add(r.get(0));
                people.add(new Person(r.get(0), r.get(1), splitRoles(r.get(2)), r.get(3), yes(r.get(4)), yes(r.get(5)),
                        yes(r.get(6)), "onsite"));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("the roster is not valid CSV: " + e.getMessage());
        }
        return new Result(people, rejected);
    }

    private static String check(CSVRecord r, Set<String> roles, Set<String> sites, Set<String> seen) {
        if (r.size() != HEADER.size()) {
            return "expected " + HEADER.size() + " fields, got " + r.size();
        }
        if (!ID.matcher(r.get(0)).matches()) {
            return "id: 1 to 63 letters, digits, '.', '_' or '-'";
        }
        if (seen.contains(r.get(0))) {
            return "id " + r.get(0) + " appears on an earlier line";
        }
        if (r.get(1).isBlank() || r.get(1).length() > 200) {
            return "name: 1 to 200 characters";
        }
        List<String> rs = splitRoles(r.get(2));
        if (rs.isEmpty()) {
            return "roles: at least one, separated by ';'";
        }
        if (roles != null) {
            for (String role : rs) {
                if (!roles.contains(role)) {
                    return "role '" + role + "' is not one of the plan's";
                }
            }
        }
        if (sites != null && !sites.contains(r.get(3))) {
            return "site '" + r.get(3) + "' is not one of the plan's";
        }
        for (int i = 4; i < 7; i++) {
            String v = r.get(i).toLowerCase(Locale.ROOT);
            if (!v.equals("yes") && !v.equals("no")) {
                return HEADER.get(i) + ": yes or no";
            }
        }
        return null;
    }

    private static List<String> splitRoles(String s) {
        return Arrays.stream(s.split(";")).map(String::trim).filter(x -> !x.isEmpty()).distinct().toList();
    }

    private static boolean yes(String v) {
        return v.equalsIgnoreCase("yes");
    }
}
