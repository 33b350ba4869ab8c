package org.phare.core.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phare.core.ContinuityFixture;
import org.phare.core.continuity.PlanCheck.Problem;
import org.phare.core.drill.Fault.AgentAction;
import org.phare.core.drill.Fault.AgentFault;
import org.phare.core.drill.Fault.Target;

@DisplayName("the rules of a drill, alone and against the cloud it runs on")
class DrillCheckTest {
    /** Three zones of two sites, one host per site; the core's small plan (sites hq in paris-15, dc-a in pantin). */
    private static final DrillCheck.Cloud CLOUD;

    static {
        Map<String, List<String>> zones = new LinkedHashMap<>();
        Map<String, String> hosts = new LinkedHashMap<>();
        for (String z : List.of("a", "b", "c")) {
            zones.put("eu-west-2" + z, List.of("eu-west-2" + z + "-dc1", "eu-west-2" + z + "-dc2"));
            hosts.put("h-" + z + "-1", "eu-west-2" + z + "-dc1");
            hosts.put("h-" + z + "-2", "eu-west-2" + z + "-dc2");
        }
        CLOUD = new DrillCheck.Cloud(List.of("eu-west-2"), zones, hosts, ContinuityFixture.plan());
    }

    /** A drill of these steps, made to last a minute after the last one (a leader's freeze, checked by nothing else). */
    private static Drill drill(Scope scope, List<Objective> objectives, Step... steps) {
        List<Step> timeline = new ArrayList<>(List.of(steps));
        long last = timeline.stream().mapToLong(Step::atMs).max().orElse(0);
        timeline.add(at(last, new Fault.LeaderFault(Fault.LeaderAction.FREEZE, 60_000)));
        return bare(scope, objectives, timeline);
    }

    private static Drill bare(Scope scope, List<Objective> objectives, List<Step> timeline) {
        return new Drill("zone-loss", "", objectives, scope, Announcement.SURPRISE, StopConditions.NONE, timeline);
    }

    private static Drill drill(Step... steps) {
        return drill(Scope.EVERYTHING, List.of(new Objective.NoManualIntervention("nobody acts")), steps);
    }

    private static Step at(long ms, Fault f) {
        return new Step(ms, f);
    }

    private static Scope zones(String... zones) {
        return new Scope(null, List.of(zones), List.of(), List.of());
    }

    static Stream<Arguments> invalidAlone() {
        return Stream.of(
                Arguments.of("a drill with no step", bare(Scope.EVERYTHING, List.of(), List.of()), "timeline", "at least one step"),
                Arguments.of("a nameless drill", new Drill(" ", "", List.of(), Scope.EVERYTHING, Announcement.SURPRISE, null,
                        List.of(at(0, new Fault.Absence(10, 1)))), "name", "a drill has a name"),
                Arguments.of("a freeze without a duration", drill(at(0, new AgentFault(AgentAction.FREEZE, new Target("h-a-1", null, null, 0), 0))),
                        "timeline[0].for", "give 'for', at most 10m"),
                Arguments.of("a freeze of an hour", drill(at(0, new Fault.LeaderFault(Fault.LeaderAction.FREEZE, 3_600_000))),
                        "timeline[0].for", "got 1h"),
                Arguments.of("a step-down that lasts", drill(at(0, new Fault.LeaderFault(Fault.LeaderAction.STEP_DOWN, 5000))),
                        "timeline[0].for", "instant"),
                Arguments.of("a target naming a host and a zone", drill(at(0, new AgentFault(AgentAction.CRASH,
                        new Target("h-a-1", null, "eu-west-2a", 0), 0))), "timeline[0].target", "exactly one of host, site or zone, got 2"),
                Arguments.of("a count of a host", drill(at(0, new AgentFault(AgentAction.CRASH, new Target("h-a-1", null, null, 2), 0))),
                        "timeline[0].target.count", "goes with a site or a zone"),
                Arguments.of("a negative count", drill(at(0, new AgentFault(AgentAction.CRASH, new Target(null, null, "eu-west-2a", -1), 0))),
                        "timeline[0].target.count", "0 (every host) or more"),
                Arguments.of("none absent", drill(at(0, new Fault.Absence(0, 1))), "timeline[0].absent", "from 1 to 100"),
                Arguments.of("a quarantine of nobody", drill(at(0, new Fault.Quarantine(List.of()))), "timeline[0].quarantine", "at least one role"),
                Arguments.of("a closure without an order", drill(at(0, new Fault.ClosureOrder("saint-cloud", " "))),
                        "timeline[0].closure.order", "the order's reference"),
                Arguments.of("a level check with no time", drill(at(0, new Fault.LevelCheck(2, 0))), "timeline[0].within", "above 0"),
                Arguments.of("a drill of eight days", drill(at(8L * 86_400_000, new Fault.Absence(10, 1))), "timeline[0].at", "at most 7d"),
                Arguments.of("an objective with no words", drill(Scope.EVERYTHING, List.of(new Objective.OutageWithin("", 30_000)),
                        at(0, new Fault.Absence(10, 1))), "objectives[0].text", "a sentence"),
                Arguments.of("an outage objective of no time", drill(Scope.EVERYTHING, List.of(new Objective.OutageWithin("fast", 0)),
                        at(0, new Fault.Absence(10, 1))), "objectives[0].outageWithin", "above 0"),
                Arguments.of("a zone listed twice in the scope", drill(zones("eu-west-2a", "eu-west-2a"), List.of(),
                        at(0, new Fault.Absence(10, 1))), "scope.zones[1]", "listed twice"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidAlone")
    @DisplayName("a drill that breaks a rule of its own is refused, the field named")
    void alone(String what, Drill drill, String path, String message) {
        assertThat(DrillCheck.problems(drill)).as(what).anySatisfy(p -> {
            assertThat(p.path()).isEqualTo(path);
            assertThat(p.message()).contains(message);
        });
    }

    static Stream<Arguments> invalidOnCloud() {
        return Stream.of(
                Arguments.of("a zone the cloud does not have", drill(at(0, new AgentFault(AgentAction.CRASH,
                        new Target(null, null, "eu-west-2z", 0), 0))), "timeline[0].target.zone", "no zone 'eu-west-2z'"),
                Arguments.of("a site the cloud does not have", drill(at(0, new AgentFault(AgentAction.CRASH,
                        new Target(null, "eu-west-2a-dc9", null, 0), 0))), "timeline[0].target.site", "no site 'eu-west-2a-dc9'"),
                Arguments.of("a host the cloud does not have", drill(at(0, new AgentFault(AgentAction.ISOLATE,
                        new Target("h-x", null, null, 0), 30_000))), "timeline[0].target.host", "no host 'h-x'"),
                Arguments.of("a host outside the scope", drill(zones("eu-west-2a"), List.of(), at(0, new AgentFault(AgentAction.CRASH,
                        new Target("h-b-1", null, null, 0), 0))), "timeline[0].target.host", "outside the drill's scope"),
                Arguments.of("a zone outside the scope", drill(zones("eu-west-2a"), List.of(), at(0, new AgentFault(AgentAction.CRASH,
                        new Target(null, null, "eu-west-2b", 0), 0))), "timeline[0].target.zone", "outside the drill's scope"),
                Arguments.of("a zone whose other site is outside the scope", drill(new Scope(null, List.of(), List.of("eu-west-2a-dc1"),
                        List.of()), List.of(), at(0, new AgentFault(AgentAction.CRASH, new Target(null, null, "eu-west-2a", 1), 0))),
                        "timeline[0].target.zone", "eu-west-2a-dc2 of zone eu-west-2a are outside"),
                Arguments.of("more hosts than the site has", drill(at(0, new AgentFault(AgentAction.FREEZE,
                        new Target(null, "eu-west-2a-dc1", null, 2), 20_000))), "timeline[0].target.count", "has 1 host(s), not 2"),
                Arguments.of("a scope in another region", drill(new Scope("us-east-1", List.of(), List.of(), List.of()), List.of(),
                        at(0, new Fault.Absence(10, 1))), "scope.region", "no region 'us-east-1'"),
                Arguments.of("a scope site outside the scope's zones", drill(new Scope(null, List.of("eu-west-2a"),
                        List.of("eu-west-2b-dc1"), List.of()), List.of(), at(0, new Fault.Absence(10, 1))), "scope.sites[0]",
                        "lies in zone eu-west-2b, which is not in the scope"),
                Arguments.of("a role the plan does not have", drill(at(0, new Fault.Quarantine(List.of("operator", "chef")))),
                        "timeline[0].quarantine[1]", "no role 'chef'"),
                Arguments.of("an area the plan does not have", drill(at(0, new Fault.TransportLost("lyon", "strike"))),
                        "timeline[0].transportLost.area", "no site of the plan lies in the area 'lyon' (areas: paris-15, pantin)"),
                Arguments.of("a closure of nowhere", drill(at(0, new Fault.ClosureOrder("nowhere", "order 1"))),
                        "timeline[0].closure.siteOrArea", "no site of the plan is or lies in 'nowhere'"),
                Arguments.of("a level the plan does not have", drill(Scope.EVERYTHING, List.of(new Objective.LevelReached("level 4", 4, 60_000)),
                        at(0, new Fault.Absence(10, 1))), "objectives[0].levelReached", "levels 0 to 2, not 4"),
                Arguments.of("a check of a level the plan does not have", drill(at(0, new Fault.LevelCheck(3, 60_000))),
                        "timeline[0].checkLevel", "levels 0 to 2, not 3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidOnCloud")
    @DisplayName("a drill that does not fit the cloud is refused, the field named")
    void onCloud(String what, Drill drill, String path, String message) {
        assertThat(DrillCheck.problems(drill)).as("%s is valid on its own", what).isEmpty();
        assertThat(DrillCheck.problems(drill, CLOUD)).as(what).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo(path);
            assertThat(p.message()).contains(message);
        });
    }

    @Test
    @DisplayName("a zone loss, a freeze, an isolation and the people faults of the seed's exercise fit the cloud")
    void valid() {
        Drill ok = drill(zones("eu-west-2a", "eu-west-2b"), List.of(new Objective.OutageWithin("back within 30 s", 30_000),
                        new Objective.FunctionsCovered("covered at 2", 2), new Objective.LevelReached("level 1 in 5 min", 1, 300_000)),
                at(0, new AgentFault(AgentAction.CRASH, new Target(null, null, "eu-west-2a", 0), 0)),
                at(10_000, new AgentFault(AgentAction.FREEZE, new Target(null, null, "eu-west-2b", 1), 20_000)),
                at(20_000, new AgentFault(AgentAction.ISOLATE, new Target("h-b-2", null, null, 0), 30_000)),
                at(0, new Fault.LeaderFault(Fault.LeaderAction.STOP, 0)),
                at(0, new Fault.Absence(30, 42)), at(0, new Fault.Quarantine(List.of("operator"))),
                at(0, new Fault.ClosureOrder("pantin", "prefect's order")), at(0, new Fault.TransportLost("paris-15", "strike")),
                at(0, new Fault.LevelCheck(1, 300_000)));
        assertThat(DrillCheck.problems(ok, CLOUD)).isEmpty();
    }

    @Test
    @DisplayName("people faults need a plan; named hosts go unchecked when the hosts are not known")
    void withoutPlanOrHosts() {
        DrillCheck.Cloud bare = new DrillCheck.Cloud(CLOUD.regions(), CLOUD.zones(), null, null);
        Drill d = drill(at(0, new AgentFault(AgentAction.CRASH, new Target("h-anything", null, null, 0), 0)),
                at(5_000, new Fault.Absence(30, 1)));
        List<Problem> problems = DrillCheck.problems(d, bare);
        assertThat(problems).extracting(Problem::path).containsExactly("timeline[1]");
        assertThat(problems.getFirst().message()).contains("needs the continuity plan");
        // Every problem is reported, not only the first.
        List<Step> many = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            many.add(at(i, new Fault.Absence(0, 1)));
        }
        assertThat(DrillCheck.problems(drill(many.toArray(Step[]::new)))).extracting(Problem::path)
                .containsExactly("timeline[0].absent", "timeline[1].absent", "timeline[2].absent");
    }
}
