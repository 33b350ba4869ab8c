package org.phare.core.continuity;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Who can keep each critical function going at a level, under a scenario: computed from the plan and the roster,
 * never typed in. A person counts as available for a function when they hold a qualifying role, are neither absent
 * nor quarantined, and can work where the level and the scenario let them: someone who must work remotely (at
 * risk from a level that says so, everyone from the level that closes the offices, everyone whose home site is
 * closed, everyone whose office cannot be reached without transport) counts only if remote-ready (VPN and MFA).
 * Pure: the random absence of a scenario is drawn from its seed.
 */
public final class Coverage {

    /**
     * A hypothesis on top of the roster.
     *
     * @param absentPercent share of the people made absent (0 to 100), drawn with {@code seed}
     * @param closedSites   home sites closed (by id, or by area: every site of that area)
     * @param noTransport   no public transport anywhere: nobody reaches an office
     * @param noTransportIn areas without public transport: nobody reaches the offices there
     */
    public record Scenario(double absentPercent, long seed, Set<String> closedSites, boolean noTransport,
                           Set<String> noTransportIn) {
        public static final Scenario NONE = new Scenario(0, 0, Set.of(), false);

        public Scenario(double absentPercent, long seed, Set<String> closedSites, boolean noTransport) {
            this(absentPercent, seed, closedSites, noTransport, Set.of());
        }

        public Scenario {
            closedSites = closedSites == null ? Set.of() : Set.copyOf(closedSites);
            noTransportIn = noTransportIn == null ? Set.of() : Set.copyOf(noTransportIn);
            if (absentPercent < 0 || absentPercent > 100) {
                throw new IllegalArgumentException("the absent share is between 0 and 100 %, got " + absentPercent);
            }
        }
    }

    /**
     * One function's coverage.
     *
     * @param qualified     people holding a qualifying role (whatever their status)
     * @param available     of those, people who can work at this level and scenario
     * @param remoteReady   of the available, how many are remote-ready (could all work remotely)
     * @param gap           people missing to reach the minimum (0 when covered)
     * @param singlePoint   one available person covers a function that needs someone: losing them loses it
     */
    public record FunctionCoverage(String id, String name, int required, int qualified, int available, int remoteReady,
                                   int gap, boolean singlePoint) {}

    /** The coverage of every function, and the people the scenario made absent (their number, not who). */
    public record Report(int level, Scenario scenario, List<FunctionCoverage> functions, int people, int absent,
                         int mustBeRemote, int cannotBeRemote) {
        public int gaps() {
            return (int) functions.stream().filter(f -> f.gap() > 0).count();
        }
    }

    private Coverage() {
    }

    /** @throws IllegalArgumentException when the level is not one of the plan's */
    public static Report compute(Plan plan, List<Person> roster, int level, Scenario scenario) {
        if (level < 0 || level >= plan.levels().size()) {
            throw new IllegalArgumentException("the plan has levels 0 to " + (plan.levels().size() - 1) + ", not " + level);
        }
        Plan.Level l = plan.levels().get(level);
        Set<String> closed = closedSites(plan, scenario.closedSites());
        // Offices nobody reaches: all of them without transport, or those of the areas without it.
        Set<String> unreachable = new HashSet<>();
        for (Plan.PlanSite s : plan.sites()) {
            if ("office".equals(s.kind()) && (scenario.noTransport() || scenario.noTransportIn().contains(s.area()))) {
                unreachable.add(s.id());
            }
        }
        Set<String> absent = drawAbsent(roster, scenario);
        // Who can work here and now, by position in the roster; and the people of each role.
        boolean[] working = new boolean[roster.size()];
        java.util.Map<String, List<Integer>> byRole = new java.util.HashMap<>();
        int mustBeRemote = 0;
        int cannot = 0;
        for (int i = 0; i < roster.size(); i++) {
            Person p = roster.get(i);
            for (String r : p.roles()) {
                byRole.computeIfAbsent(r, k -> new ArrayList<>()).add(i);
            }
            if (p.unavailable() || absent.contains(p.id())) {
                continue;
            }
            boolean remote = mustWorkRemotely(l, p, closed, unreachable);
            if (remote) {
                mustBeRemote++;
                if (!p.remoteReady()) {
                    cannot++;
                    continue;
                }
            }
            working[i] = true;
        }
        // Each function counts the people of its roles once: O(people of those roles), not O(roster).
        int[] counted = new int[roster.size()];
        List<FunctionCoverage> out = new ArrayList<>(plan.functions().size());
        int stamp = 0;
        for (Plan.CriticalFunction f : plan.functions()) {
            stamp++;
            int required = f.minimum().get(level);
            int qualified = 0;
            int available = 0;
            int ready = 0;
            for (String role : f.roles()) {
                for (int i : byRole.getOrDefault(role, List.of())) {
                    if (counted[i] == stamp) {
                        continue;
                    }
                    counted[i] = stamp;
                    qualified++;
                    if (working[i]) {
                        available++;
                        if (roster.get(i).remoteReady()) {
                            ready++;
                        }
                    }
                }
            }
            out.add(new FunctionCoverage(f.id(), f.name(), required, qualified, available, ready,
                    Math.max(0, required - available), required > 0 && available == 1));
        }
        return new Report(level, scenario, out, roster.size(), absent.size() + (int) roster.stream().filter(Person::unavailable).count(),
                mustBeRemote, cannot);
    }

    /** What the level (and a scenario) requires of a person: to work remotely or not. */
    public static boolean mustWorkRemotely(Plan.Level level, Person p, Set<String> closedSites, Set<String> unreachable) {
        return switch (level.remote()) {
            case "everyone" -> true;
            case "at-risk" -> p.atRisk();
            default -> false;
        } || closedSites.contains(p.site()) || unreachable.contains(p.site());
    }

    /**
     * The lowest level from which the plan requires this person to work remotely, or -1. Under a plan whose lower
     * levels send the at-risk home, this is the at-risk flag by another name: for HR only.
     */
    public static int remoteFromLevel(Plan plan, Person p) {
        for (Plan.Level l : plan.levels()) {
            if (mustWorkRemotely(l, p, Set.of(), Set.of())) {
                return l.level();
            }
        }
        return -1;
    }

    /** Site ids closed, given ids or areas. */
    static Set<String> closedSites(Plan plan, Set<String> given) {
        Set<String> closed = new HashSet<>();
        for (Plan.PlanSite s : plan.sites()) {
            if (given.contains(s.id()) || given.contains(s.area())) {
                closed.add(s.id());
            }
        }
        return closed;
    }

    /** The ids made absent: round(n × share) people among those not already out, drawn without replacement. */
    static Set<String> drawAbsent(List<Person> roster, Scenario scenario) {
        List<String> candidates = new ArrayList<>();
        for (Person p : roster) {
            if (!p.unavailable()) {
                candidates.add(p.id());
            }
        }
        int n = (int) Math.round(candidates.size() * scenario.absentPercent() / 100.0);
        SplittableRandom random = new SplittableRandom(scenario.seed());
        // A partial Fisher-Yates shuffle: the first n are the absent.
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(candidates.size() - i);
            String t = candidates.get(i);
            candidates.set(i, candidates.get(j));
            candidates.set(j, t);
        }
        return new HashSet<>(candidates.subList(0, n));
    }
}
