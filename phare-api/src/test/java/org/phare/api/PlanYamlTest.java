package org.phare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.phare.core.continuity.Plan;

@DisplayName("the continuity plan file")
class PlanYamlTest {
    private static final String DEFAULT = PlanYaml.defaultPlanText();

    @Test
    @DisplayName("the default plan loads: levels 0 to 4, meetings twice a day from level 1, everyone remote at 4")
    void defaultPlan() {
        Plan plan = PlanYaml.parse(DEFAULT);
        assertThat(plan.levels()).extracting(Plan.Level::level).containsExactly(0, 1, 2, 3, 4);
        assertThat(plan.levels().get(0).meetings()).isEmpty();
        assertThat(plan.levels().subList(1, 5)).allSatisfy(l -> assertThat(l.meetings()).containsExactly("09:00", "17:00"));
        assertThat(plan.levels().get(1).remote()).isEqualTo("at-risk");
        assertThat(plan.levels().get(4).remote()).isEqualTo("everyone");
        assertThat(plan.levels().get(1).measures()).extracting(Plan.Measure::category)
                .contains("health", "meetings", "transport", "remote-work");
        assertThat(plan.levels().get(1).triggers()).anySatisfy(t -> assertThat(t.threshold()).isEqualTo(5.0));
        assertThat(plan.sites()).filteredOn(s -> s.kind().equals("office")).hasSize(2);
        assertThat(plan.functions()).extracting(Plan.CriticalFunction::id).contains("ops-24x7", "network", "security",
                "support", "dc-liaison");
        // Written back and read again: the same plan.
        assertThat(PlanYaml.parse(PlanYaml.write(plan))).isEqualTo(plan);
    }

    private static List<YamlFile.Located> problems(String text) {
        return catchThrowableOfType(PlanYaml.Invalid.class, () -> PlanYaml.parse(text)).problems();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an unknown role owns a measure  | category: meetings, owner: management}     | category: meetings, owner: boss}           | levels[1].measures[1].owner | role 'boss' is not among
            an unknown category             | category: transport, owner: hr}            | category: travel, owner: hr}               | levels[1].measures[2].category | one of communication
            a meeting time out of range     | meetings: ["09:00", "17:00"]\\n    measures:\\n      - {text: "Avoid | meetings: ["09:00", "25:00"]\\n    measures:\\n      - {text: "Avoid | levels[1].meetings[1] | a meeting time is HH:MM
            a level out of order            | level: 3                                   | level: 7                                   | levels[3].level | expected 3, got 7
            a threshold that is not a number | threshold: 5%                             | threshold: lots                            | levels[1].triggers[1].threshold | a percentage
            an unknown field                | remote: everyone                           | remote: everyone\\n    colour: red         | levels[4].colour | unknown field 'colour'
            too few minimums                | minimum: [2, 2, 2, 1, 1]}                  | minimum: [2, 2]}                           | functions[1].minimum | one number per level (5), got 2
            a datacenter kind misspelt      | {id: paris-hq, kind: office                | {id: paris-hq, kind: bureau                | sites[0].kind | one of datacenter, office
            an unknown time zone            | timezone: Europe/Paris                     | timezone: Europe/Atlantis                  | timezone | an IANA time zone
            """)
    @DisplayName("an invalid plan is refused with the line and the field of the error")
    void located(String what, String from, String to, String path, String message) {
        Fixtures.oneProblemWhereChanged(DEFAULT, from, to, PlanYamlTest::problems, what, path, message);
    }

    @Test
    @DisplayName("not YAML, not a mapping, empty: refused with a position")
    void notAPlan() {
        assertThat(problems("name: [unclosed")).singleElement().satisfies(p -> assertThat(p.message()).startsWith("not valid YAML"));
        assertThat(problems("- a\n- b\n")).singleElement().satisfies(p -> assertThat(p.message()).contains("expected a mapping"));
        assertThat(problems("")).singleElement().satisfies(p -> assertThat(p.message()).contains("empty"));
        assertThat(problems("name: x\nname: y\n")).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(2));
        // Every problem at once, in file order.
        List<YamlFile.Located> many = problems(DEFAULT.replace("owner: security}", "owner: nobody}").replace("timezone: Europe/Paris", "timezone: Mars"));
        assertThat(many).hasSizeGreaterThanOrEqualTo(3).isSortedAccordingTo(java.util.Comparator.comparingInt(YamlFile.Located::line));
    }
}
