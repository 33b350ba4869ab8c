package org.phare.core.drill;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.phare.core.continuity.Person;

/**
 * Who is absent when a drill's step says "30 % of the staff absent": a draw from the roster that depends on the
 * people's ids, the percent and the seed only. The live drill runner and {@code phare drill predict} both call it,
 * so the prediction and the exercise send home the same people, whatever order the roster was imported in and
 * whatever status each person has.
 */
public final class Absences {
    private Absences() {
    }

    /** How many of {@code rosterSize} people a share of {@code percent} sends home: at least that share, rounded up. */
    public static int count(int rosterSize, int percent) {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("a share of the roster is 1 to 100 percent, got " + percent);
        }
        // Rounded up: the plan's absenteeism thresholds are "at least N %", and a drill of 30 % must reach 30 %.
        return (int) ((rosterSize * (long) percent + 99) / 100);
    }

    /**
     * The people drawn absent, in the order of their ids.
     *
     * <p>The roster is sorted by id, then a partial Fisher–Yates shuffle driven by a {@link SplittableRandom} of the
     * seed picks the first {@link #count} of them: every subset of that size is equally likely, and the same inputs
     * always give the same people.
     *
     * @param roster  every person of the roster (their status is not looked at: someone already absent may be drawn)
     * @param percent 1 to 100
     * @param seed    the step's seed
     */
    public static List<Person> draw(List<Person> roster, int percent, long seed) {
        int n = count(roster.size(), percent);
        List<Person> people = new ArrayList<>(roster);
        people.sort(Comparator.comparing(Person::id));
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(people.size() - i);
            Person chosen = people.get(j);
            people.set(j, people.get(i));
            people.set(i, chosen);
        }
        List<Person> drawn = new ArrayList<>(people.subList(0, n));
        drawn.sort(Comparator.comparing(Person::id));
        return List.copyOf(drawn);
    }
}
