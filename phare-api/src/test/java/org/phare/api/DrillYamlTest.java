package org.phare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.phare.core.continuity.Plan;
import org.phare.core.drill.Drill;
import org.phare.core.drill.DrillCheck;
import org.phare.core.drill.Fault;
import org.phare.core.drill.Objective;
import org.phare.core.drill.Step;

@DisplayName("the drill file")
class DrillYamlTest {
    /**
     * The cloud the default plan describes, as phare demo runs it: each datacenter of the plan is a site of its zone
     * (eu-west-2a/b/c, two each) with one host, named h-(zone's letter)-(datacenter's number).
     */
    static final DrillCheck.Cloud DEMO = cloudOf(PlanYaml.parse(PlanYaml.defaultPlanText()));

    private static DrillCheck.Cloud cloudOf(Plan plan) {
        Map<String, List<String>> zones = new TreeMap<>();
        Map<String, String> hosts = new TreeMap<>();
        plan.sites().stream().filter(s -> s.zone() != null).forEach(s -> {
            zones.computeIfAbsent(s.zone(), z -> new ArrayList<>()).add(s.id());
            hosts.put("h-" + s.zone().charAt(s.zone().length() - 1) + "-" + s.id().charAt(s.id().length() - 1), s.id());
        });
        return new DrillCheck.Cloud(List.of("eu-west-2"), zones, hosts, plan);
    }

    /** Every kind of step and objective, in a file whose steps are not in the order of their offsets. */
    private static final String EVERY_KIND = """
            name: every-kind
            announced: 12h
            scope: {region: eu-west-2, zones: [eu-west-2a, eu-west-2b]}
            objectives:
              - {text: back within 30 s, outageWithin: 30s}
              - {manualInterventions: 0}
              - {text: covered, functionsCoveredAtLevel: 3}
              - {text: level 3 soon, levelReached: 3, within: 5m}
            stop: {maxInstancesDown: 4}
            timeline:
              - at: 1m
                leader: freeze
                for: 5s
              - at: 0s
                loseZone: eu-west-2a
              - {at: 10s, loseSite: eu-west-2b-dc1, for: 2m}
              - {at: 20s, crashAgent: {host: h-a-1}}
              - {at: 30s, freezeAgent: {zone: eu-west-2b, count: 1}, for: 20s}
              - {at: 40s, isolateAgent: {site: eu-west-2b-dc2}, for: 30s}
              - {at: 0s, absent: 30%, seed: 42}
              - {at: 0s, quarantine: [facilities, network]}
              - {at: 0s, closure: {siteOrArea: saint-cloud, order: "prefect's order 2026-114"}}
              - {at: 0s, transportLost: {area: paris-15, reason: strike}}
              - {at: 0s, checkLevel: 3, within: 5m}
              - {at: 2m, leader: step-down}
              - {at: 2m, leader: stop}
            """;

    private static List<YamlFile.Located> problems(String text) {
        return catchThrowableOfType(DrillYaml.Invalid.class, () -> DrillYaml.parse(text, DEMO)).problems();
    }

    @Test
    @DisplayName("every kind of step and objective is read into the drill model, the steps ordered by offset")
    void everyKind() {
        Drill d = DrillYaml.parse(EVERY_KIND, DEMO);
        assertThat(d.name()).isEqualTo("every-kind");
        assertThat(d.announcement().aheadMs()).isEqualTo(12 * 3_600_000L);
        assertThat(d.scope().zones()).containsExactly("eu-west-2a", "eu-west-2b");
        assertThat(d.stop().maxInstancesDown()).isEqualTo(4);
        assertThat(d.objectives()).containsExactly(new Objective.OutageWithin("back within 30 s", 30_000),
                new Objective.NoManualIntervention("no manual intervention"), new Objective.FunctionsCovered("covered", 3),
                new Objective.LevelReached("level 3 soon", 3, 300_000));
        assertThat(d.timeline()).extracting(Step::atMs).isSorted();
        assertThat(d.timeline()).extracting(Step::fault).containsExactly(
                new Fault.AgentFault(Fault.AgentAction.CRASH, new Fault.Target(null, null, "eu-west-2a", 0), 0),
                new Fault.Absence(30, 42), new Fault.Quarantine(List.of("facilities", "network")),
                new Fault.ClosureOrder("saint-cloud", "prefect's order 2026-114"), new Fault.TransportLost("paris-15", "strike"),
                new Fault.LevelCheck(3, 300_000),
                new Fault.AgentFault(Fault.AgentAction.CRASH, new Fault.Target(null, "eu-west-2b-dc1", null, 0), 120_000),
                new Fault.AgentFault(Fault.AgentAction.CRASH, new Fault.Target("h-a-1", null, null, 0), 0),
                new Fault.AgentFault(Fault.AgentAction.FREEZE, new Fault.Target(null, null, "eu-west-2b", 1), 20_000),
                new Fault.AgentFault(Fault.AgentAction.ISOLATE, new Fault.Target(null, "eu-west-2b-dc2", null, 0), 30_000),
                new Fault.LeaderFault(Fault.LeaderAction.FREEZE, 5000), new Fault.LeaderFault(Fault.LeaderAction.STEP_DOWN, 0),
                new Fault.LeaderFault(Fault.LeaderAction.STOP, 0));
        assertThat(d.durationMs()).as("the level check lasts longest").isEqualTo(300_000);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"seed-exercise.yaml", "zone-loss.yaml"})
    @DisplayName("the shipped drills are valid on phare demo's cloud with the default plan")
    void shipped(String file) {
        Drill d = DrillYaml.parse(DrillYaml.shippedText(file), DEMO);
        assertThat(d.objectives()).isNotEmpty();
        assertThat(d.durationMs()).isPositive();
    }

    @Test
    @DisplayName("the seed's exercise: announced a day ahead, a closure, no transport, 30 % absent, level 3 then 4")
    void seedExercise() {
        Drill d = DrillYaml.parse(DrillYaml.shippedText("seed-exercise.yaml"), DEMO);
        assertThat(d.announcement().aheadMs()).isEqualTo(86_400_000L);
        assertThat(d.timeline()).extracting(Step::fault).anySatisfy(f -> assertThat(f).isInstanceOf(Fault.ClosureOrder.class))
                .anySatisfy(f -> assertThat(f).isInstanceOf(Fault.TransportLost.class))
                .anySatisfy(f -> assertThat(f).isEqualTo(new Fault.Absence(30, 2026)))
                .anySatisfy(f -> assertThat(f).isEqualTo(new Fault.LevelCheck(3, 300_000)))
                .anySatisfy(f -> assertThat(f).isEqualTo(new Fault.LevelCheck(4, 900_000)));
        Drill zone = DrillYaml.parse(DrillYaml.shippedText("zone-loss.yaml"), DEMO);
        assertThat(zone.announcement().surprise()).isTrue();
        assertThat(zone.objectives()).hasOnlyElementsOfTypes(Objective.OutageWithin.class, Objective.NoManualIntervention.class);
    }

    @Test
    @DisplayName("a rule of the drill names the step as the file counts it, not as the offsets order it")
    void fileOrder() {
        // timeline[0] in the file comes at 1m: ordered by offset it is the drill's 10th step.
        String broken = EVERY_KIND.replace("for: 5s", "for: 0s");
        assertThat(problems(broken)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("timeline[0].for");
            assertThat(p.line()).isEqualTo(Fixtures.lineOf(broken, "for: 0s"));
        });
    }

    @Test
    @DisplayName("required fields, not YAML, not a mapping, empty: refused with a position; every problem at once")
    void notADrill() {
        assertThat(problems("name: x\ntimeline: []\n")).extracting(YamlFile.Located::message)
                .anySatisfy(m -> assertThat(m).contains("announced: 1d"));
        assertThat(problems("announced: surprise\ntimeline:\n  - {at: 0s, leader: freeze, for: 5s}\n")).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("name"));
        assertThat(problems("name: x\nannounced: surprise\ntimeline: []\n")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("at least one step"));
        assertThat(problems("name: x\nannounced: surprise\ntimeline:\n  - {loseZone: eu-west-2a}\n")).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("timeline[0].at"));
        assertThat(problems("name: [unclosed")).singleElement().satisfies(p -> assertThat(p.message()).startsWith("not valid YAML"));
        assertThat(problems("- a\n- b\n")).singleElement().satisfies(p -> assertThat(p.message()).contains("expected a mapping"));
        assertThat(problems("")).singleElement().satisfies(p -> assertThat(p.message()).contains("empty"));
        List<YamlFile.Located> many = problems(EVERY_KIND.replace("leader: freeze", "leader: dance")
                .replace("absent: 30%", "absent: lots").replace("announced: 12h", "announced: soon"));
        assertThat(many).hasSize(3).isSortedAccordingTo(java.util.Comparator.comparingInt(YamlFile.Located::line));
        assertThat(catchThrowableOfType(DrillYaml.Invalid.class, () -> DrillYaml.parse("- a\n"))).hasMessageContaining("in the drill");
    }

    @Test
    @DisplayName("checked alone, a drill may name what the cloud lacks; checked against the cloud, it may not")
    void aloneOrOnTheCloud() {
        String elsewhere = EVERY_KIND.replace("crashAgent: {host: h-a-1}", "crashAgent: {host: h-elsewhere}");
        assertThat(DrillYaml.parse(elsewhere).timeline()).hasSize(13);
        assertThat(problems(elsewhere)).extracting(YamlFile.Located::path).containsExactly("timeline[3].crashAgent.host");
        List<String> all = new ArrayList<>();
        for (String f : DrillYaml.SHIPPED) {
            all.add(DrillYaml.parse(DrillYaml.shippedText(f)).name());
        }
        assertThat(all).containsExactly("seed-exercise", "zone-loss");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an unknown field                   | leader: freeze                        | leader: freeze\\n    colour: red          | timeline[0].colour | unknown field 'colour'
            a freeze that never ends           | for: 5s                               | for: 11m                                   | timeline[0].for | at most 10m, got 11m
            a leader that dances               | leader: freeze                        | leader: dance                              | timeline[0].leader | stop, freeze or step-down
            a duration without a unit          | {at: 10s, loseSite                    | {at: 10, loseSite                          | timeline[2].at | a duration such as 30s
            a step doing two things            | {at: 20s, crashAgent: {host: h-a-1}}  | {at: 20s, crashAgent: {host: h-a-1}, absent: 5%} | timeline[3] | not several: crashAgent, absent
            a for on a people fault            | {at: 0s, absent: 30%, seed: 42}       | {at: 0s, absent: 30%, seed: 42, for: 1h}   | timeline[6].for | 'for' does not go with absent
            a share above everyone             | absent: 30%                           | absent: 130%                               | timeline[6].absent | from 1 to 100
            a share that is not a number       | absent: 30%                           | absent: many                               | timeline[6].absent | such as 30%
            a host the cloud does not have     | crashAgent: {host: h-a-1}             | crashAgent: {host: h-z-9}                  | timeline[3].crashAgent.host | no host 'h-z-9'
            a zone outside the scope           | freezeAgent: {zone: eu-west-2b        | freezeAgent: {zone: eu-west-2c             | timeline[4].freezeAgent.zone | outside the drill's scope
            a zone lost outside the scope      | loseZone: eu-west-2a                  | loseZone: eu-west-2c                       | timeline[1].loseZone | outside the drill's scope
            a target naming two things         | isolateAgent: {site: eu-west-2b-dc2}  | isolateAgent: {site: eu-west-2b-dc2, host: h-b-2} | timeline[5].isolateAgent | exactly one of host, site or zone
            a role the plan does not have      | quarantine: [facilities, network]     | quarantine: [facilities, cooks]            | timeline[7].quarantine[1] | no role 'cooks'
            an area the plan does not have     | area: paris-15                        | area: lyon-3                               | timeline[9].transportLost.area | no site of the plan lies in the area 'lyon-3'
            a check without its time           | checkLevel: 3, within: 5m}            | checkLevel: 3}                             | timeline[10].within | checkLevel needs 'within'
            a level the plan does not have     | checkLevel: 3, within: 5m}            | checkLevel: 7, within: 5m}                 | timeline[10].checkLevel | levels 0 to 4, not 7
            an objective of two kinds          | outageWithin: 30s}                    | outageWithin: 30s, functionsCoveredAtLevel: 2} | objectives[0] | not several
            manual interventions allowed       | {manualInterventions: 0}              | {manualInterventions: 2}                   | objectives[1].manualInterventions | 0, got 2
            a level objective without time     | levelReached: 3, within: 5m}          | levelReached: 3}                           | objectives[3].within | levelReached needs 'within'
            an announcement that is no notice  | announced: 12h                        | announced: tomorrow                        | announced | a notice such as 1d
            a scope zone the cloud lacks       | zones: [eu-west-2a, eu-west-2b]       | zones: [eu-west-2a, eu-west-2b, eu-west-2q] | scope.zones[2] | no zone 'eu-west-2q'
            a negative stop limit              | maxInstancesDown: 4                   | maxInstancesDown: -1                       | stop.maxInstancesDown | 0 (no limit) or more
            """)
    @DisplayName("an invalid drill is refused with the line and the field of the error")
    void located(String what, String from, String to, String path, String message) {
        Fixtures.oneProblemWhereChanged(EVERY_KIND, from, to, DrillYamlTest::problems, what, path, message);
    }
}
