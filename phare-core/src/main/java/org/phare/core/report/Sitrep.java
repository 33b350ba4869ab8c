package org.phare.core.report;

import org.phare.core.record.ContinuityRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.phare.core.continuity.Cadence;
import org.phare.core.continuity.Coverage;
import org.phare.core.state.CrisisCell;
import org.phare.core.continuity.Person;
import org.phare.core.continuity.Plan;
import org.phare.core.model.Host;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Region;
import org.phare.core.model.Schedulability;
import org.phare.core.model.SiteId;
import org.phare.core.model.ZoneId;
import org.phare.core.record.Record;
import org.phare.core.state.Alarm;
import org.phare.core.state.CloudState;
import org.phare.core.state.Failovers;
import org.phare.core.state.ZoneStats;

/**
 * The crisis cell's situation report, computed from the live state and nothing else: the level and since when,
 * the health of every region, zone and site, the failovers since the last meeting with their detection, re-placement
 * and outage times, the capacity left against the failover reserve, the coverage of the critical functions, open
 * actions and the last decisions. It names no one's health: staff appear as counts and functions, never with the
 * at-risk flag.
 *
 * <p>Pure and O(hosts + roster + functions' people + failovers of the window): it runs on the control loop, and
 * holds only immutable values, so that it is rendered off the loop while the state moves on.
 */
public record Sitrep(long generatedAtMs, String timezone, LevelView level, List<RegionHealth> regions,
                     List<Alarm> alarms, FailoverView failovers, List<ZoneHeadroom> headroom, StaffView staff,
                     List<ActionView> openActions, int openActionsTotal, List<ContinuityRecord.MinutesRecorded> lastDecisions,
                     MeetingView meetings) {
    /** At most this many failovers, actions and decisions are listed (totals are always given). */
    public static final int MAX_LISTED = 20;
    /** Without a previous meeting, the failovers of this window are reported. */
    public static final long DEFAULT_WINDOW_MS = 24 * 3_600_000L;

    /**
     * @param recommendations the plan's recommendations since the level last changed, not yet followed
     * @param down            zones and sites the cloud declared down
     */
    public record LevelView(int level, String name, String remote, Long sinceMs, String by, String reason, String trigger,
                            List<ContinuityRecord.LevelRecommended> recommendations, Map<String, String> closedSites,
                            List<ContinuityRecord.TransportChanged> transportLost, List<ContinuityRecord.InfrastructureChanged> down) {}

    /** @param status {@code ok}, {@code degraded} (a host not ready) or {@code down} (every host dead), {@code empty} */
    public record RegionHealth(String region, String status, List<ZoneHealth> zones) {}

    /** @param instances placed on the zone's hosts; {@code waiting}: lost with a host of the zone, not running again yet */
    public record ZoneHealth(String zone, String status, Long downSinceMs, int hosts, int ready, int suspect, int dead,
                             int cordoned, int instances, int waiting, List<SiteHealth> sites) {}

    public record SiteHealth(String site, String status, Long downSinceMs, int hosts, int ready, int suspect, int dead) {}

    /**
     * Failovers whose instance ran again since {@code sinceMs} (the last meeting), and those still waiting, with three
     * durations each (see {@link Failovers}): {@code detection}, from the host last heard to its being declared dead;
     * {@code replacement}, from declared dead to running elsewhere (the recovery after the declaration); and
     * {@code outage}, their sum, from the host last heard to running elsewhere: what tenants felt. {@code truncated}:
     * the window holds more than the {@link Failovers#MAX_DONE} kept, and the figures are those of the latest.
     */
    public record FailoverView(long sinceMs, String since, int recovered, boolean truncated, int waiting,
                               Durations detection, Durations replacement, Durations outage, Map<String, Integer> byZone,
                               List<FailoverLine> latest, List<FailoverLine> stillWaiting) {}

    /**
     * Nearest-rank percentiles of one duration over the recovered failovers; {@code count} may be lower than the
     * number recovered when the log did not record when some hosts were last heard. Null figures when there are none.
     */
    public record Durations(int count, Long p50Ms, Long p95Ms, Long maxMs) {}

    /**
     * One failover as the report lists it. Moments are epoch ms; {@code toHost}, {@code placedAtMs} and
     * {@code runningAtMs} are null until they happen. Durations are null until over, or when the host's last heartbeat
     * is unknown: {@code detectionMs = hostDeadAtMs - hostLastHeardMs}, {@code replacementMs = runningAtMs -
     * hostDeadAtMs}, {@code outageMs = runningAtMs - hostLastHeardMs = detectionMs + replacementMs}.
     */
    public record FailoverLine(InstanceId instance, HostId fromHost, ZoneId fromZone, HostId toHost, ZoneId toZone,
                               Long hostLastHeardMs, long hostDeadAtMs, long evictedAtMs, Long placedAtMs, Long runningAtMs,
                               Long detectionMs, Long replacementMs, Long outageMs) {
        static FailoverLine of(Failovers.Failover f) {
            return new FailoverLine(f.instance(), f.fromHost(), f.fromZone(), f.toHost(), f.toZone(), f.hostLastHeardMs(),
                    f.hostDeadAtMs(), f.evictedAtMs(), f.toHost() == null ? null : f.placedAtMs(),
                    f.done() ? f.runningAtMs() : null, known(f.detectionMs()), known(f.replacementMs()), known(f.outageMs()));
        }

        private static Long known(long ms) {
            return ms < 0 ? null : ms;
        }
    }

    /**
     * Room left against the failover reserve, in slots of the largest instance size ({@code slot}).
     *
     * @param zoneLoad        what losing the zone would displace
     * @param othersRoom      room on the region's other zones
     * @param zoneLossMargin  {@code othersRoom - zoneLoad}: negative means losing this zone strands instances
     * @param hostLossMargin  room in the zone beyond what its worst single host loss needs
     */
    public record ZoneHeadroom(String region, String zone, String slot, double zoneLoad, double othersRoom,
                               double zoneLossMargin, double hostLossMargin) {}

    /** Coverage at the level in force, with closures and transport losses; functions listed: gaps and single points. */
    public record StaffView(int people, Map<String, Integer> byStatus, int mustBeRemote, int cannotBeRemote, int functions,
                            int gaps, List<Coverage.FunctionCoverage> attention) {}

    public record ActionView(int id, String text, String owner, long dueMs, boolean overdue, int meeting) {}

    /**
     * @param current  the meeting in progress, or null
     * @param previous the last meeting before now (or before the one in progress), or null
     * @param missed   slots of the cadence in the last 24 h that no meeting held and none can hold any more
     * @param next     slots of the next 24 h
     */
    public record MeetingView(CrisisCell.Meeting current, CrisisCell.Meeting previous, List<Cadence.Slot> missed,
                              List<Cadence.Slot> next) {}

    public static Sitrep of(CloudState state, long nowMs) {
        Plan plan = state.plan();
        CrisisCell cell = state.crisis();
        MeetingView meetings = meetings(state, nowMs);
        long sinceMs = meetings.previous() == null ? nowMs - DEFAULT_WINDOW_MS : meetings.previous().openedAtMs();
        String since = meetings.previous() == null ? "the last 24 h (no meeting yet)"
                : "meeting " + meetings.previous().id();
        List<ActionView> open = cell.actions().values().stream().filter(CrisisCell.Action::open)
                .sorted(Comparator.comparingLong(CrisisCell.Action::dueMs))
                .map(a -> new ActionView(a.id(), a.text(), a.owner(), a.dueMs(), a.dueMs() < nowMs, a.meeting())).toList();
        List<ContinuityRecord.MinutesRecorded> decisions = new ArrayList<>();
        for (int i = cell.minutes().size() - 1; i >= 0 && decisions.size() < MAX_LISTED; i--) {
            if (cell.minutes().get(i).decision()) {
                decisions.add(cell.minutes().get(i));
            }
        }
        return new Sitrep(nowMs, plan == null ? "UTC" : plan.timezone(), level(state, plan), health(state),
                List.copyOf(state.alarms().values()), failovers(state.failovers(), sinceMs, since), headroom(state),
                staff(state, plan), open.subList(0, Math.min(open.size(), MAX_LISTED)), open.size(), decisions, meetings);
    }

    private static LevelView level(CloudState state, Plan plan) {
        List<ContinuityRecord.LevelChanged> history = state.levelHistory();
        ContinuityRecord.LevelChanged last = history.isEmpty() ? null : history.get(history.size() - 1);
        long changedAt = last == null ? Long.MIN_VALUE : last.atMs();
        List<ContinuityRecord.LevelRecommended> pending = state.recommendations().stream()
                .filter(r -> r.atMs() >= changedAt && r.level() > state.level()).toList();
        Plan.Level l = plan == null || state.level() >= plan.levels().size() ? null : plan.levels().get(state.level());
        return new LevelView(state.level(), l == null ? null : l.name(), l == null ? null : l.remote(),
                last == null ? null : last.atMs(), last == null ? null : last.by(), last == null ? null : last.reason(),
                last == null ? null : last.trigger(), pending, Map.copyOf(state.closedSites()),
                List.copyOf(state.crisis().transportLost().values()), List.copyOf(state.crisis().down().values()));
    }

    private static List<RegionHealth> health(CloudState state) {
        Map<String, ContinuityRecord.InfrastructureChanged> down = state.crisis().down();
        Map<ZoneId, Integer> waiting = new TreeMap<>();
        for (Failovers.Failover f : state.failovers().waiting().values()) {
            waiting.merge(f.fromZone(), 1, Integer::sum);
        }
        List<RegionHealth> out = new ArrayList<>();
        for (Region region : state.regions().values()) {
            List<ZoneHealth> zones = new ArrayList<>();
            for (ZoneId z : state.zonesOf(region.id())) {
                Map<SiteId, int[]> sites = new TreeMap<>(); // hosts, ready, suspect, dead
                state.sites().values().stream().filter(s -> s.zone().equals(z)).forEach(s -> sites.put(s.id(), new int[4]));
                int[] n = new int[4];
                int cordoned = 0;
                int instances = 0;
                for (HostId id : state.hostsIn(z)) {
                    Host h = state.host(id);
                    int col = switch (h.state()) {
                        case READY -> 1;
                        case SUSPECT -> 2;
                        case DEAD -> 3;
                    };
                    for (int[] c : List.of(n, sites.computeIfAbsent(h.site(), k -> new int[4]))) {
                        c[0]++;
                        c[col]++;
                    }
                    cordoned += h.scheduling() == Schedulability.SCHEDULABLE ? 0 : 1;
                    instances += state.instancesOn(id).size();
                }
                List<SiteHealth> siteHealth = new ArrayList<>();
                sites.forEach((site, c) -> siteHealth.add(new SiteHealth(site.value(), status(c), downSince(down, "site:" + site.value()),
                        c[0], c[1], c[2], c[3])));
                zones.add(new ZoneHealth(z.value(), status(n), downSince(down, "zone:" + z.value()), n[0], n[1], n[2], n[3],
                        cordoned, instances, waiting.getOrDefault(z, 0), siteHealth));
            }
            String status = zones.stream().allMatch(z -> z.status().equals("empty")) ? "empty"
                    : zones.stream().allMatch(z -> z.status().equals("down") || z.status().equals("empty")) ? "down"
                    : zones.stream().allMatch(z -> z.status().equals("ok") || z.status().equals("empty")) ? "ok" : "degraded";
            out.add(new RegionHealth(region.id().value(), status, zones));
        }
        return out;
    }

    private static String status(int[] c) {
        if (c[0] == 0) {
            return "empty";
        }
        return c[3] == c[0] ? "down" : c[1] == c[0] ? "ok" : "degraded";
    }

    private static Long downSince(Map<String, ContinuityRecord.InfrastructureChanged> down, String part) {
        ContinuityRecord.InfrastructureChanged r = down.get(part);
        return r == null ? null : r.atMs();
    }

    static FailoverView failovers(Failovers all, long sinceMs, String since) {
        List<Failovers.Failover> done = all.doneSince(sinceMs);
        Map<String, Integer> byZone = new TreeMap<>();
        done.forEach(f -> byZone.merge(f.fromZone().value(), 1, Integer::sum));
        List<FailoverLine> latest = new ArrayList<>();
        for (int i = done.size() - 1; i >= 0 && latest.size() < MAX_LISTED; i--) {
            latest.add(FailoverLine.of(done.get(i)));
        }
        List<FailoverLine> waiting = all.waiting().values().stream().limit(MAX_LISTED).map(FailoverLine::of).toList();
        boolean truncated = done.size() >= Failovers.MAX_DONE;
        return new FailoverView(sinceMs, since, done.size(), truncated, all.waiting().size(),
                durations(done, Failovers.Failover::detectionMs), durations(done, Failovers.Failover::replacementMs),
                durations(done, Failovers.Failover::outageMs), byZone, latest, waiting);
    }

    /** Percentiles of the known (non-negative) values of one duration. */
    private static Durations durations(List<Failovers.Failover> done, ToLongFunction<Failovers.Failover> ms) {
        long[] sorted = done.stream().mapToLong(ms).filter(v -> v >= 0).sorted().toArray();
        return new Durations(sorted.length, percentile(sorted, 50), percentile(sorted, 95),
                sorted.length == 0 ? null : sorted[sorted.length - 1]);
    }

    /** Nearest-rank percentile of sorted values, or null when there are none. */
    static Long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static List<ZoneHeadroom> headroom(CloudState state) {
        CloudState.ReserveView reserve = state.reserveFor(state.slot());
        List<ZoneHeadroom> out = new ArrayList<>();
        for (Region region : state.regions().values()) {
            List<ZoneId> zones = state.zonesOf(region.id());
            long total = 0;
            for (ZoneId z : zones) {
                total += reserve.zone(z).slack();
            }
            for (ZoneId z : zones) {
                ZoneStats s = reserve.zone(z);
                long others = total - s.slack();
                out.add(new ZoneHeadroom(region.id().value(), z.value(), state.slot().toString(), slots(s.liveWeight()),
                        slots(others), slots(others - s.liveWeight()), slots(s.slack() - s.worstHostLoss())));
            }
        }
        return out;
    }

    private static double slots(long millionths) {
        return Math.round(millionths / 1_000.0) / 1_000.0;
    }

    private static StaffView staff(CloudState state, Plan plan) {
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        Person.STATUSES.forEach(s -> byStatus.put(s, 0));
        state.staff().values().forEach(p -> byStatus.merge(p.status(), 1, Integer::sum));
        if (plan == null || state.level() >= plan.levels().size()) {
            return new StaffView(state.staff().size(), byStatus, 0, 0, 0, 0, List.of());
        }
        Coverage.Scenario live = new Coverage.Scenario(0, 0, state.closedSites().keySet(), false,
                state.crisis().transportLost().keySet());
        Coverage.Report r = Coverage.compute(plan, List.copyOf(state.staff().values()), state.level(), live);
        List<Coverage.FunctionCoverage> attention = r.functions().stream().filter(f -> f.gap() > 0 || f.singlePoint())
                .sorted(Comparator.comparingInt(Coverage.FunctionCoverage::gap).reversed()).toList();
        return new StaffView(r.people(), byStatus, r.mustBeRemote(), r.cannotBeRemote(), r.functions().size(), r.gaps(), attention);
    }

    /** The meetings part alone: the one in progress, the previous one, slots missed and to come. */
    public static MeetingView meetings(CloudState state, long nowMs) {
        Plan plan = state.plan();
        List<CrisisCell.Meeting> all = state.crisis().meetings();
        CrisisCell.Meeting current = state.crisis().openMeeting();
        int previousIndex = all.size() - (current == null ? 1 : 2);
        CrisisCell.Meeting previous = previousIndex >= 0 ? all.get(previousIndex) : null;
        if (plan == null) {
            return new MeetingView(current, previous, List.of(), List.of());
        }
        List<Cadence.Slot> missed = Cadence.slots(plan, state.levelHistory(), nowMs - DEFAULT_WINDOW_MS, nowMs).stream()
                .filter(s -> !state.crisis().held(s.label()) && s.atMs() < nowMs - Cadence.SLOT_TOLERANCE_MS).toList();
        return new MeetingView(current, previous, missed, Cadence.slots(plan, state.levelHistory(), nowMs, nowMs + DEFAULT_WINDOW_MS));
    }
}
