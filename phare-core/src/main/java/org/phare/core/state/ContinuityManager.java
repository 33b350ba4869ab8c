package org.phare.core.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.phare.core.continuity.Person;
import org.phare.core.continuity.Plan;
import org.phare.core.continuity.PlanVersion;
import org.phare.core.record.ContinuityRecord;

/**
 * The continuity plan and the people: the plan and its versions, the roster and statuses, the alert level's history
 * and the triggers' recommendations, sites closed by an order, and the crisis cell ({@link CrisisCell}: transport, parts
 * of the cloud down, meetings, minutes, actions). Replays {@link ContinuityRecord}s alone; its snapshot section is
 * {@link Section}. Holds health data (the at-risk flag, with consent): only HR reads it back.
 */
public final class ContinuityManager {
    private Plan plan;
    private final List<PlanVersion> planHistory = new ArrayList<>();
    /** The roster, in file order. */
    private final Map<String, Person> staff = new LinkedHashMap<>();
    /** Every change of the alert level, oldest first; the level is the last one's (0 before any). */
    private final List<ContinuityRecord.LevelChanged> levelHistory = new ArrayList<>();
    /** Sites closed by an order, with the order. */
    private final Map<String, String> closedSites = new TreeMap<>();
    /** The plan's triggers' recommendations, oldest first. */
    private final List<ContinuityRecord.LevelRecommended> recommendations = new ArrayList<>();
    private CrisisCell crisis = new CrisisCell();

    /** The continuity snapshot section ({@code continuity/1}). */
    public record Section(Plan plan, List<PlanVersion> planHistory, List<Person> staff,
                          List<ContinuityRecord.LevelChanged> levelHistory, Map<String, String> closedSites,
                          List<ContinuityRecord.LevelRecommended> recommendations, CrisisCell.Data crisis) {
        public static final Section EMPTY = new Section(null, null, null, null, null, null, null);

        public Section {
            planHistory = planHistory == null ? List.of() : List.copyOf(planHistory);
            staff = staff == null ? List.of() : List.copyOf(staff);
            levelHistory = levelHistory == null ? List.of() : List.copyOf(levelHistory);
            closedSites = closedSites == null ? Map.of() : Map.copyOf(closedSites);
            recommendations = recommendations == null ? List.of() : List.copyOf(recommendations);
            crisis = crisis == null ? CrisisCell.Data.EMPTY : crisis;
        }
    }

    void replay(ContinuityRecord record) {
        switch (record) {
            case ContinuityRecord.PlanApplied r -> {
                if (r.version() == planVersion() + 1) {
                    plan = r.plan();
                    planHistory.add(PlanVersion.of(r.version(), r.plan(), r.by(), r.note(), r.atMs()));
                }
            }
            case ContinuityRecord.RosterImported r -> {
                Map<String, Person> before = new HashMap<>(staff);
                staff.clear();
                for (Person p : r.people()) {
                    Person old = before.get(p.id());
                    staff.put(p.id(), old == null ? p : p.withStatus(old.status()));
                }
            }
            case ContinuityRecord.StaffStatusSet r -> staff.computeIfPresent(r.person(), (id, p) -> p.withStatus(r.status()));
            case ContinuityRecord.LevelChanged r -> {
                if (r.from() == level()) {
                    levelHistory.add(r);
                }
            }
            case ContinuityRecord.LevelRecommended r -> recommendations.add(r);
            case ContinuityRecord.SitesClosed r -> r.sites().forEach(site -> closedSites.put(site, r.order()));
            case ContinuityRecord.SitesReopened r -> r.sites().forEach(closedSites::remove);
            case ContinuityRecord.TransportChanged r -> crisis.replay(r);
            case ContinuityRecord.InfrastructureChanged r -> crisis.replay(r);
            case ContinuityRecord.MeetingOpened r -> crisis.replay(r);
            case ContinuityRecord.MeetingClosed r -> crisis.replay(r);
            case ContinuityRecord.MinutesRecorded r -> crisis.replay(r);
            case ContinuityRecord.ActionOpened r -> crisis.replay(r);
            case ContinuityRecord.ActionClosed r -> crisis.replay(r);
        }
    }

    Section section() {
        return new Section(plan, List.copyOf(planHistory), List.copyOf(staff.values()), List.copyOf(levelHistory),
                new TreeMap<>(closedSites), List.copyOf(recommendations), crisis.data());
    }

    static ContinuityManager restore(Section s) {
        ContinuityManager m = new ContinuityManager();
        m.plan = s.plan();
        m.planHistory.addAll(s.planHistory());
        s.staff().forEach(p -> Snapshots.putNew(m.staff, p.id(), p, "person"));
        m.levelHistory.addAll(s.levelHistory());
        m.closedSites.putAll(s.closedSites());
        m.recommendations.addAll(s.recommendations());
        m.crisis = CrisisCell.restore(s.crisis());
        return m;
    }

    void differences(ContinuityManager other, List<String> diffs) {
        Snapshots.compare(diffs, "staff", staff, other.staff);
        Snapshots.compare(diffs, "closed sites", closedSites, other.closedSites);
        if (!crisis.data().equals(other.crisis.data())) {
            diffs.add("crisis cell: " + crisis.data() + " != " + other.crisis.data());
        }
        if (!recommendations.equals(other.recommendations)) {
            diffs.add("recommendations: " + recommendations.size() + " != " + other.recommendations.size());
        }
        if (!levelHistory.equals(other.levelHistory)) {
            diffs.add("level history: " + levelHistory.size() + " changes != " + other.levelHistory.size());
        }
        if (!Objects.equals(plan, other.plan) || !planHistory.equals(other.planHistory)) {
            diffs.add("plan version " + planVersion() + " != " + other.planVersion());
        }
    }

    Plan plan() {
        return plan;
    }

    Map<String, Person> staff() {
        return Collections.unmodifiableMap(staff);
    }

    int level() {
        return levelHistory.isEmpty() ? 0 : levelHistory.get(levelHistory.size() - 1).to();
    }

    Map<String, String> closedSites() {
        return Collections.unmodifiableMap(closedSites);
    }

    CrisisCell crisis() {
        return crisis;
    }

    List<ContinuityRecord.LevelRecommended> recommendations() {
        return Collections.unmodifiableList(recommendations);
    }

    List<ContinuityRecord.LevelChanged> levelHistory() {
        return Collections.unmodifiableList(levelHistory);
    }

    int planVersion() {
        return planHistory.size();
    }

    List<PlanVersion> planHistory() {
        return Collections.unmodifiableList(planHistory);
    }
}
