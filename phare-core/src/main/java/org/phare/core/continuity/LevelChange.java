package org.phare.core.continuity;

import java.util.ArrayList;
import java.util.List;

/**
 * What a change of alert level implies, computed from the plan and the roster when it is decided, and recorded
 * with it: the measures to activate and to lift (a level's measures stay in force at every higher level), the
 * people who must now work remotely, those who cannot because they are not remote-ready (a gap to fix, with the
 * functions they serve), those who may come back, and the crisis cell's next meetings. Why a person must be remote
 * is never said (it may be health data); only that the plan requires it. But at a level that sends the at-risk home
 * the lists are the at-risk people (and, changing to or from it, everyone else): who is named is health data, and
 * only HR reads the names. Every other role reads the {@link #counts()}.
 *
 * @param toRemote     people who must switch to remote work (they are remote-ready)
 * @param cannotRemote people who must work remotely but are not remote-ready: no VPN or no MFA
 * @param mayReturn    people no longer required to work remotely
 * @param meetings     the crisis cell's next meetings at the new level (ISO instants), none when it does not sit
 */
public record LevelChange(int from, int to, List<Plan.Measure> activate, List<Plan.Measure> lift, List<PersonAction> toRemote,
                          List<PersonAction> cannotRemote, List<PersonAction> mayReturn, List<String> meetings) {

    /** A person named by an action, with the critical functions they serve. */
    public record PersonAction(String id, String name, List<String> functions) {}

    /** How many people each action names, and not who. */
    public record Counts(int toRemote, int cannotRemote, int mayReturn) {}

    public LevelChange {
        activate = List.copyOf(activate);
        lift = List.copyOf(lift);
        toRemote = List.copyOf(toRemote);
        cannotRemote = List.copyOf(cannotRemote);
        mayReturn = List.copyOf(mayReturn);
        meetings = List.copyOf(meetings);
    }

    public Counts counts() {
        return new Counts(toRemote.size(), cannotRemote.size(), mayReturn.size());
    }

    /** The meetings of the next day are enough for the crisis cell to organise itself. */
    static final int MEETINGS_AHEAD_HOURS = 24;

    /**
     * @param atMs when the change is decided (the record's time), for the meetings to schedule
     * @throws IllegalArgumentException when a level is not one of the plan's
     */
    public static LevelChange of(Plan plan, List<Person> roster, int from, int to, long atMs) {
        int levels = plan.levels().size();
        if (from < 0 || from >= levels || to < 0 || to >= levels) {
            throw new IllegalArgumentException("the plan has levels 0 to " + (levels - 1) + ", not " + to);
        }
        List<Plan.Measure> before = inForce(plan, from);
        List<Plan.Measure> after = inForce(plan, to);
        List<Plan.Measure> activate = after.stream().filter(m -> !before.contains(m)).toList();
        List<Plan.Measure> lift = before.stream().filter(m -> !after.contains(m)).toList();
        Plan.Level was = plan.levels().get(from);
        Plan.Level now = plan.levels().get(to);
        List<PersonAction> toRemote = new ArrayList<>();
        List<PersonAction> cannot = new ArrayList<>();
        List<PersonAction> mayReturn = new ArrayList<>();
        for (Person p : roster) {
            if (p.unavailable()) {
                continue;
            }
            boolean wasRemote = Coverage.mustWorkRemotely(was, p, java.util.Set.of(), java.util.Set.of());
            boolean isRemote = Coverage.mustWorkRemotely(now, p, java.util.Set.of(), java.util.Set.of());
            PersonAction a = new PersonAction(p.id(), p.name(), functionsOf(plan, p));
            if (isRemote && !p.remoteReady()) {
                cannot.add(a);
            } else if (isRemote && !wasRemote) {
                toRemote.add(a);
            } else if (!isRemote && wasRemote) {
                mayReturn.add(a);
            }
        }
        return new LevelChange(from, to, activate, lift, toRemote, cannot, mayReturn, meetings(plan, now, atMs));
    }

    /** The measures in force at a level: those of every level from 0 up to it. */
    public static List<Plan.Measure> inForce(Plan plan, int level) {
        List<Plan.Measure> out = new ArrayList<>();
        for (int i = 0; i <= level; i++) {
            for (Plan.Measure m : plan.levels().get(i).measures()) {
                if (!out.contains(m)) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static List<String> functionsOf(Plan plan, Person p) {
        List<String> out = new ArrayList<>();
        for (Plan.CriticalFunction f : plan.functions()) {
            if (p.roles().stream().anyMatch(f.roles()::contains)) {
                out.add(f.id());
            }
        }
        return out;
    }

    /** The level's meeting times over the next day, in the plan's time zone, as instants in order. */
    static List<String> meetings(Plan plan, Plan.Level level, long atMs) {
        return Cadence.slotsAt(plan, level.level(), atMs + 1, atMs + MEETINGS_AHEAD_HOURS * 3_600_000L + 1).stream()
                .map(Cadence.Slot::label).toList();
    }
}
