package org.phare.core.drill;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.phare.core.continuity.Plan;
import org.phare.core.continuity.PlanCheck.Problem;

/**
 * The rules a drill must follow: alone ({@link #problems(Drill)}: bounds, a freeze's duration, a target that names
 * one thing) and against the cloud it will run on ({@link #problems(Drill, Cloud)}: every zone, site and host
 * exists and lies in the scope, every people fault names the plan's roles, sites and areas).
 *
 * <p>Each problem names its field by the path a drill file gives it ({@code timeline[2].for},
 * {@code objectives[0].within}, {@code scope.zones[1]}), with two conventions the file reader maps back to its own
 * lines: {@code timeline[k]} counts the steps in the order of their offsets (the {@link Drill}'s order), and an
 * agent fault's target is {@code timeline[k].target} (and {@code .host}, {@code .site}, {@code .zone},
 * {@code .count}) whichever way the file wrote it.
 */
public final class DrillCheck {
    /** A frozen agent or leader must come back within this: a freeze is a pause, not a loss. */
    public static final long MAX_FREEZE_MS = 10 * 60_000;
    /** The longest notice: a drill announced further ahead is a plan, not an exercise. */
    public static final long MAX_NOTICE_MS = 30L * 86_400_000;
    public static final int MAX_OBJECTIVES = 50;
    public static final int MAX_SCOPE_ITEMS = 1000;
    public static final int MAX_NAME = 100;
    public static final int MAX_TEXT = 500;

    /**
     * What a drill is checked against.
     *
     * @param regions the cloud's regions
     * @param zones   every zone, with its sites
     * @param hosts   every host, with its site; null when the hosts are not known (a drill checked offline)
     * @param plan    the continuity plan in force, or null
     */
    public record Cloud(List<String> regions, Map<String, List<String>> zones, Map<String, String> hosts, Plan plan) {
        public Cloud {
            regions = List.copyOf(regions);
            zones = Map.copyOf(zones);
            hosts = hosts == null ? null : Map.copyOf(hosts);
        }

        String zoneOfSite(String site) {
            for (Map.Entry<String, List<String>> e : zones.entrySet()) {
                if (e.getValue().contains(site)) {
                    return e.getKey();
                }
            }
            return null;
        }

        int hostsIn(String site, String zone) {
            int n = 0;
            for (String s : hosts.values()) {
                if (site != null ? s.equals(site) : zone.equals(zoneOfSite(s))) {
                    n++;
                }
            }
            return n;
        }
    }

    private DrillCheck() {
    }

    /** Every problem of the drill on its own, in the order of its fields; empty when it is valid. */
    public static List<Problem> problems(Drill drill) {
        List<Problem> out = new ArrayList<>();
        require(out, "name", !drill.name().isBlank() && drill.name().length() <= MAX_NAME,
                "a drill has a name of 1 to " + MAX_NAME + " characters");
        require(out, "description", drill.description().length() <= 4 * MAX_TEXT, "a description is at most " + 4 * MAX_TEXT + " characters");
        require(out, "announced", drill.announcement().aheadMs() <= MAX_NOTICE_MS,
                "a drill is announced at most " + Durations.format(MAX_NOTICE_MS) + " ahead, got " + Durations.format(drill.announcement().aheadMs()));
        checkScope(drill.scope(), out);
        require(out, "objectives", drill.objectives().size() <= MAX_OBJECTIVES, "at most " + MAX_OBJECTIVES + " objectives");
        for (int j = 0; j < drill.objectives().size(); j++) {
            checkObjective(drill.objectives().get(j), "objectives[" + j + "]", out);
        }
        List<Step> timeline = drill.timeline();
        require(out, "timeline", !timeline.isEmpty(), "a drill has at least one step");
        require(out, "timeline", timeline.size() <= Drill.MAX_STEPS, "a drill has at most " + Drill.MAX_STEPS + " steps, got " + timeline.size());
        for (int k = 0; k < timeline.size(); k++) {
            checkStep(timeline.get(k), "timeline[" + k + "]", out);
        }
        // A fault without 'for' lasts until the drill ends: the timeline's end plus the time the cloud is given to
        // recover (ControllerConfig.drillSettle), so a drill whose steps all happen at once is still a drill.
        require(out, "timeline", drill.durationMs() <= Drill.MAX_DURATION_MS, "a drill lasts at most "
                + Durations.format(Drill.MAX_DURATION_MS) + ", this one " + Durations.format(drill.durationMs()));
        return out;
    }

    /** Every problem of the drill, alone and on this cloud; empty when it may run there. */
    public static List<Problem> problems(Drill drill, Cloud cloud) {
        List<Problem> out = problems(drill);
        Scope scope = drill.scope();
        require(out, "scope.region", scope.region() == null || cloud.regions().contains(scope.region()),
                "no region '" + scope.region() + "' in the cloud (regions: " + String.join(", ", cloud.regions()) + ")");
        for (int j = 0; j < scope.zones().size(); j++) {
            String z = scope.zones().get(j);
            require(out, "scope.zones[" + j + "]", cloud.zones().containsKey(z), "no zone '" + z + "' in the cloud (zones: "
                    + String.join(", ", cloud.zones().keySet().stream().sorted().toList()) + ")");
        }
        for (int j = 0; j < scope.sites().size(); j++) {
            String s = scope.sites().get(j);
            String zone = cloud.zoneOfSite(s);
            if (zone == null) {
                out.add(new Problem("scope.sites[" + j + "]", "no site '" + s + "' in the cloud"));
            } else {
                require(out, "scope.sites[" + j + "]", scope.zones().isEmpty() || scope.zones().contains(zone),
                        "site '" + s + "' lies in zone " + zone + ", which is not in the scope");
            }
        }
        for (int j = 0; j < drill.objectives().size(); j++) {
            String p = "objectives[" + j + "]";
            switch (drill.objectives().get(j)) {
                case Objective.FunctionsCovered f -> planLevel(cloud, f.level(), p + ".functionsCoveredAtLevel", out);
                case Objective.LevelReached l -> planLevel(cloud, l.level(), p + ".levelReached", out);
                case Objective.OutageWithin o -> { }
                case Objective.NoManualIntervention n -> { }
            }
        }
        for (int k = 0; k < drill.timeline().size(); k++) {
            checkOnCloud(drill.timeline().get(k).fault(), scope, cloud, "timeline[" + k + "]", out);
        }
        return out;
    }

    private static void checkScope(Scope scope, List<Problem> out) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        lists.put("zones", scope.zones());
        lists.put("sites", scope.sites());
        lists.put("tenants", scope.tenants());
        lists.forEach((name, items) -> {
            require(out, "scope." + name, items.size() <= MAX_SCOPE_ITEMS, "at most " + MAX_SCOPE_ITEMS + " " + name);
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < items.size(); j++) {
                String item = items.get(j);
                if (item == null || item.isBlank()) {
                    out.add(new Problem("scope." + name + "[" + j + "]", "an empty name"));
                } else if (!seen.add(item)) {
                    out.add(new Problem("scope." + name + "[" + j + "]", "'" + item + "' is listed twice"));
                }
            }
        });
    }

    private static void checkObjective(Objective o, String p, List<Problem> out) {
        require(out, p + ".text", o.text() != null && !o.text().isBlank() && o.text().length() <= MAX_TEXT,
                "an objective reads as a sentence of 1 to " + MAX_TEXT + " characters");
        switch (o) {
            case Objective.OutageWithin w -> duration(out, p + ".outageWithin", w.maxMs(), Drill.MAX_DURATION_MS);
            case Objective.FunctionsCovered f -> require(out, p + ".functionsCoveredAtLevel", f.level() >= 0, "a level is 0 or more");
            case Objective.LevelReached l -> {
                require(out, p + ".levelReached", l.level() >= 0, "a level is 0 or more");
                duration(out, p + ".within", l.withinMs(), Drill.MAX_DURATION_MS);
            }
            case Objective.NoManualIntervention n -> { }
        }
    }

    private static void checkStep(Step step, String p, List<Problem> out) {
        require(out, p + ".at", step.atMs() <= Drill.MAX_DURATION_MS, "a step comes at most "
                + Durations.format(Drill.MAX_DURATION_MS) + " after the start");
        switch (step.fault()) {
            case Fault.AgentFault a -> {
                checkTarget(a.target(), p + ".target", out);
                if (a.action() == Fault.AgentAction.FREEZE) {
                    freeze(out, p + ".for", a.forMs());
                } else {
                    require(out, p + ".for", a.forMs() >= 0 && a.forMs() <= Drill.MAX_DURATION_MS,
                            "a duration of at most " + Durations.format(Drill.MAX_DURATION_MS));
                }
            }
            case Fault.LeaderFault l -> {
                switch (l.action()) {
                    case FREEZE -> freeze(out, p + ".for", l.forMs());
                    case STEP_DOWN -> require(out, p + ".for", l.forMs() == 0, "a step-down is instant: it takes no 'for'");
                    case STOP -> require(out, p + ".for", l.forMs() >= 0 && l.forMs() <= Drill.MAX_DURATION_MS,
                            "a duration of at most " + Durations.format(Drill.MAX_DURATION_MS));
                }
            }
            case Fault.Absence a -> require(out, p + ".absent", a.percent() >= 1 && a.percent() <= 100,
                    "a share of the roster from 1 to 100 %, got " + a.percent());
            case Fault.Quarantine q -> {
                require(out, p + ".quarantine", !q.roles().isEmpty(), "name at least one role");
                for (int j = 0; j < q.roles().size(); j++) {
                    require(out, p + ".quarantine[" + j + "]", q.roles().get(j) != null && !q.roles().get(j).isBlank(), "an empty role");
                }
            }
            case Fault.ClosureOrder c -> {
                text(out, p + ".closure.siteOrArea", c.siteOrArea(), "the site or area the order closes");
                text(out, p + ".closure.order", c.order(), "the order's reference or text");
            }
            case Fault.TransportLost t -> {
                text(out, p + ".transportLost.area", t.area(), "the area without transport");
                text(out, p + ".transportLost.reason", t.reason(), "why (a strike, a closure)");
            }
            case Fault.LevelCheck c -> {
                require(out, p + ".checkLevel", c.level() >= 0, "a level is 0 or more");
                duration(out, p + ".within", c.withinMs(), Drill.MAX_DURATION_MS);
            }
        }
    }

    private static void checkTarget(Fault.Target t, String p, List<Problem> out) {
        int named = (t.host() != null ? 1 : 0) + (t.site() != null ? 1 : 0) + (t.zone() != null ? 1 : 0);
        if (named != 1) {
            out.add(new Problem(p, "a target names exactly one of host, site or zone, got " + named));
        }
        require(out, p + ".count", t.count() >= 0, "a count of hosts is 0 (every host) or more");
        require(out, p + ".count", t.host() == null || t.count() == 0, "a count goes with a site or a zone, not a host");
    }

    private static void checkOnCloud(Fault fault, Scope scope, Cloud cloud, String p, List<Problem> out) {
        switch (fault) {
            case Fault.AgentFault a -> targetOnCloud(a.target(), scope, cloud, p + ".target", out);
            case Fault.LeaderFault l -> { }
            case Fault.LevelCheck c -> planLevel(cloud, c.level(), p + ".checkLevel", out);
            case Fault.Absence a -> needPlan(cloud, p, out);
            case Fault.Quarantine q -> {
                if (needPlan(cloud, p, out)) {
                    for (int j = 0; j < q.roles().size(); j++) {
                        require(out, p + ".quarantine[" + j + "]", cloud.plan().roles().contains(q.roles().get(j)),
                                "no role '" + q.roles().get(j) + "' in the plan (roles: " + String.join(", ", cloud.plan().roles()) + ")");
                    }
                }
            }
            case Fault.ClosureOrder c -> {
                if (needPlan(cloud, p, out)) {
                    boolean known = cloud.plan().sites().stream().anyMatch(s -> s.id().equals(c.siteOrArea()) || s.area().equals(c.siteOrArea()));
                    require(out, p + ".closure.siteOrArea", known, "no site of the plan is or lies in '" + c.siteOrArea()
                            + "' (areas: " + String.join(", ", areas(cloud.plan())) + ")");
                }
            }
            case Fault.TransportLost t -> {
                if (needPlan(cloud, p, out)) {
                    require(out, p + ".transportLost.area", areas(cloud.plan()).contains(t.area()), "no site of the plan lies in the area '"
                            + t.area() + "' (areas: " + String.join(", ", areas(cloud.plan())) + ")");
                }
            }
        }
    }

    private static void targetOnCloud(Fault.Target t, Scope scope, Cloud cloud, String p, List<Problem> out) {
        if (t.host() != null && cloud.hosts() != null) {
            String site = cloud.hosts().get(t.host());
            if (site == null) {
                out.add(new Problem(p + ".host", "no host '" + t.host() + "' in the cloud"));
            } else {
                String zone = cloud.zoneOfSite(site);
                require(out, p + ".host", scope.coversHost(zone, site), "host " + t.host() + " (" + zone + ", " + site
                        + ") is outside the drill's scope");
            }
        } else if (t.site() != null) {
            String zone = cloud.zoneOfSite(t.site());
            if (zone == null) {
                out.add(new Problem(p + ".site", "no site '" + t.site() + "' in the cloud"));
            } else {
                require(out, p + ".site", scope.coversHost(zone, t.site()), "site " + t.site() + " (" + zone + ") is outside the drill's scope");
                enoughHosts(t, cloud, p, out);
            }
        } else if (t.zone() != null) {
            if (!cloud.zones().containsKey(t.zone())) {
                out.add(new Problem(p + ".zone", "no zone '" + t.zone() + "' in the cloud (zones: "
                        + String.join(", ", cloud.zones().keySet().stream().sorted().toList()) + ")"));
                return;
            }
            if (!scope.zones().isEmpty() && !scope.zones().contains(t.zone())) {
                out.add(new Problem(p + ".zone", "zone " + t.zone() + " is outside the drill's scope"));
                return;
            }
            List<String> outside = cloud.zones().get(t.zone()).stream().filter(s -> !scope.coversHost(t.zone(), s)).toList();
            require(out, p + ".zone", outside.isEmpty(), "site(s) " + String.join(", ", outside) + " of zone " + t.zone()
                    + " are outside the drill's scope: name a site instead");
            enoughHosts(t, cloud, p, out);
        }
    }

    private static void enoughHosts(Fault.Target t, Cloud cloud, String p, List<Problem> out) {
        if (cloud.hosts() == null || t.count() == 0) {
            return;
        }
        int there = cloud.hostsIn(t.site(), t.zone());
        require(out, p + ".count", t.count() <= there, (t.site() != null ? "site " + t.site() : "zone " + t.zone())
                + " has " + there + " host(s), not " + t.count());
    }

    private static boolean needPlan(Cloud cloud, String p, List<Problem> out) {
        require(out, p, cloud.plan() != null, "a people fault needs the continuity plan, and the cloud has none (phare plan apply)");
        return cloud.plan() != null;
    }

    private static void planLevel(Cloud cloud, int level, String p, List<Problem> out) {
        if (needPlan(cloud, p, out)) {
            int top = cloud.plan().levels().size() - 1;
            require(out, p, level <= top, "the plan has levels 0 to " + top + ", not " + level);
        }
    }

    private static List<String> areas(Plan plan) {
        return plan.sites().stream().map(Plan.PlanSite::area).distinct().toList();
    }

    private static void freeze(List<Problem> out, String p, long forMs) {
        require(out, p, forMs > 0 && forMs <= MAX_FREEZE_MS, "a freeze lasts a while and ends: give 'for', at most "
                + Durations.format(MAX_FREEZE_MS) + (forMs > 0 ? ", got " + Durations.format(forMs) : ""));
    }

    private static void duration(List<Problem> out, String p, long ms, long max) {
        require(out, p, ms > 0 && ms <= max, "a duration above 0 and at most " + Durations.format(max) + ", got " + Durations.format(ms));
    }

    private static void text(List<Problem> out, String p, String value, String what) {
        require(out, p, value != null && !value.isBlank() && value.length() <= MAX_TEXT, what + ", 1 to " + MAX_TEXT + " characters");
    }

    private static void require(List<Problem> out, String path, boolean ok, String message) {
        if (!ok) {
            out.add(new Problem(path, message));
        }
    }
}
