package org.phare.core.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.phare.core.continuity.Person;

@DisplayName("a drill's absences: who stays home, drawn from the roster, a share and a seed")
class AbsencesTest {
    private static List<Person> roster(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> new Person(String.format("d%02d", i), "Person " + i, List.of("operator"),
                "paris-hq", true, true, false, "onsite")).toList();
    }

    @ParameterizedTest(name = "{1} % of {0} people is {2}")
    @CsvSource({"18, 30, 6", "10, 30, 3", "3, 1, 1", "100, 100, 100", "0, 50, 0", "7, 50, 4"})
    @DisplayName("the share is rounded up: a drill of 30 % reaches the plan's 30 % threshold")
    void count(int people, int percent, int expected) {
        assertThat(Absences.count(people, percent)).isEqualTo(expected);
        assertThat(Absences.draw(roster(people), percent, 7)).hasSize(expected);
    }

    @Test
    @DisplayName("the same seed draws the same people, whatever the roster's order and the people's status")
    void sameSeedSamePeople() {
        List<Person> roster = roster(18);
        List<Person> shuffled = new ArrayList<>(roster.stream().map(p -> p.withStatus("remote")).toList());
        Collections.shuffle(shuffled, new java.util.Random(3));
        List<String> first = Absences.draw(roster, 30, 42).stream().map(Person::id).toList();
        List<String> again = Absences.draw(shuffled, 30, 42).stream().map(Person::id).toList();
        assertThat(again).isEqualTo(first);
        assertThat(first).isSorted().doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("other seeds draw other people, and over many seeds everyone is drawn about as often")
    void seedsSpreadTheDraw() {
        List<Person> roster = roster(10);
        Set<List<Person>> distinct = new HashSet<>();
        int[] drawn = new int[10];
        for (long seed = 0; seed < 2000; seed++) {
            List<Person> d = Absences.draw(roster, 30, seed);
            distinct.add(d);
            d.forEach(p -> drawn[Integer.parseInt(p.id().substring(1)) - 1]++);
        }
        assertThat(distinct).hasSizeGreaterThan(50);
        // 2000 draws of 3 among 10: each person about 600 times.
        assertThat(java.util.Arrays.stream(drawn).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(500, 700));
    }

    @Test
    @DisplayName("a share outside 1..100 % is refused")
    void bounds() {
        assertThatThrownBy(() -> Absences.draw(roster(3), 0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 100");
        assertThatThrownBy(() -> Absences.count(3, 101)).isInstanceOf(IllegalArgumentException.class);
    }
}
