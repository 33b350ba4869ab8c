package org.phare.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.continuity.Coverage;
import org.phare.core.continuity.Person;
import org.phare.core.continuity.Plan;

/** Coverage of the default plan's critical functions on a roster fixture of 14 people (and 5 rejected lines). */
@DisplayName("coverage of critical functions")
class CoverageTest {
    private static final Plan PLAN = PlanYaml.parse(PlanYaml.defaultPlanText());
    private static final RosterCsv.Result ROSTER = RosterCsv.parse(Fixtures.roster(), PLAN);


    private static Map<String, Coverage.FunctionCoverage> at(int level, Coverage.Scenario s, List<Person> roster) {
        return Coverage.compute(PLAN, roster, level, s).functions().stream()
                .collect(Collectors.toMap(Coverage.FunctionCoverage::id, Function.identity()));
    }

    private static Map<String, Coverage.FunctionCoverage> at(int level, Coverage.Scenario s) {
        return at(level, s, ROSTER.people());
    }

    @Test
    @DisplayName("the roster: 14 people taken, each bad line rejected with its number and reason (never its content)")
    void roster() {
        assertThat(ROSTER.people()).hasSize(14);
        assertThat(ROSTER.people().get(11).name()).isEqualTo("Oscar Bertrand, Jr.");
        assertThat(ROSTER.people().get(0).roles()).containsExactly("operator", "crisis");
        assertThat(ROSTER.rejected()).extracting(RosterCsv.Rejected::line).containsExactly(16L, 17L, 18L, 19L, 20L);
        assertThat(ROSTER.rejected()).extracting(RosterCsv.Rejected::reason).containsExactly("vpn: yes or no",
                "role 'astronaut' is not one of the plan's", "site 'lyon-office' is not one of the plan's",
                "id p01 appears on an earlier line", "expected 7 fields, got 5");
    }

    @Test
    @DisplayName("level 0: everyone counts; a function one person covers is a single point of failure")
    void levelZero() {
        var c = at(0, Coverage.Scenario.NONE);
        assertThat(c.get("ops-24x7")).extracting("required", "qualified", "available", "gap").containsExactly(3, 4, 4, 0);
        assertThat(c.get("network")).extracting("available", "gap", "singlePoint").containsExactly(2, 0, false);
        assertThat(c.get("security")).extracting("available", "gap", "singlePoint").containsExactly(1, 0, true);
        assertThat(c.get("dc-liaison").available()).as("facilities or operator").isEqualTo(5);
        assertThat(c.get("crisis-cell")).extracting("required", "singlePoint").containsExactly(0, false);
    }

    @Test
    @DisplayName("level 1: at-risk people must work remotely; one who is not remote-ready leaves a gap")
    void levelOne() {
        Coverage.Report r = Coverage.compute(PLAN, ROSTER.people(), 1, Coverage.Scenario.NONE);
        var c = at(1, Coverage.Scenario.NONE);
        assertThat(r.mustBeRemote()).isEqualTo(3);
        assertThat(r.cannotBeRemote()).as("Frank: at risk, no VPN").isEqualTo(1);
        assertThat(c.get("network")).extracting("required", "available", "gap", "singlePoint").containsExactly(2, 1, 1, true);
        assertThat(c.get("ops-24x7").available()).as("Bob is at risk but remote-ready").isEqualTo(4);
        assertThat(c.get("crisis-cell")).extracting("required", "available", "gap").containsExactly(3, 3, 0);
        assertThat(r.gaps()).isEqualTo(1);
    }

    @Test
    @DisplayName("level 4: offices closed, everyone remote: only the remote-ready count")
    void levelFour() {
        Coverage.Report r = Coverage.compute(PLAN, ROSTER.people(), 4, Coverage.Scenario.NONE);
        var c = at(4, Coverage.Scenario.NONE);
        assertThat(r.mustBeRemote()).isEqualTo(14);
        assertThat(r.cannotBeRemote()).isEqualTo(4);
        assertThat(c.get("ops-24x7")).extracting("available", "gap").containsExactly(3, 0);
        assertThat(c.get("support")).extracting("available", "remoteReady", "gap").containsExactly(2, 2, 0);
        assertThat(c.get("network")).extracting("available", "singlePoint").containsExactly(1, true);
        assertThat(c.get("dc-liaison").available()).as("Mallory cannot work remotely").isEqualTo(3);
    }

    @Test
    @DisplayName("a site closure (by id or by area) and a transport strike send its people home")
    void closureAndTransport() {
        var closed = at(0, new Coverage.Scenario(0, 0, Set.of("saint-cloud"), false));
        assertThat(closed.get("network")).extracting("available", "gap").containsExactly(1, 1);
        assertThat(closed.get("support")).extracting("available", "gap").containsExactly(2, 1);
        assertThat(closed.get("ops-24x7").available()).isEqualTo(3);
        var byArea = at(0, new Coverage.Scenario(0, 0, Set.of("paris-15"), false));
        assertThat(byArea.get("security").available()).as("Grace, paris-hq, is remote-ready").isEqualTo(1);
        assertThat(byArea.get("ops-24x7").available()).as("Carol's office is open").isEqualTo(4);
        var strike = at(0, new Coverage.Scenario(0, 0, Set.of(), true));
        assertThat(strike.get("ops-24x7").available()).as("Dan works at a datacenter, Carol cannot go remote").isEqualTo(3);
        assertThat(strike.get("dc-liaison").available()).as("Mallory's datacenter is not an office").isEqualTo(4);
    }

    @Test
    @DisplayName("30 % absent, drawn from a seed: reproducible, never more coverage than with everyone")
    void randomAbsence() {
        Coverage.Scenario s = new Coverage.Scenario(30, 42, Set.of(), false);
        Coverage.Report a = Coverage.compute(PLAN, ROSTER.people(), 0, s);
        Coverage.Report b = Coverage.compute(PLAN, ROSTER.people(), 0, s);
        assertThat(a).isEqualTo(b);
        assertThat(a.absent()).isEqualTo(4);
        var all = at(0, Coverage.Scenario.NONE);
        int lost = 0;
        for (Coverage.FunctionCoverage f : a.functions()) {
            assertThat(f.available()).isLessThanOrEqualTo(all.get(f.id()).available());
            lost += all.get(f.id()).available() - f.available();
        }
        assertThat(lost).as("4 people out cost some function something").isPositive();
        assertThat(Coverage.compute(PLAN, ROSTER.people(), 0, new Coverage.Scenario(100, 1, Set.of(), false)).functions())
                .allSatisfy(f -> assertThat(f.available()).isZero());
    }

    @Test
    @DisplayName("statuses: quarantined or absent people count for nothing")
    void statuses() {
        List<Person> roster = new ArrayList<>(ROSTER.people());
        roster.replaceAll(p -> p.id().equals("p07") ? p.withStatus("quarantined") : p);
        assertThat(at(0, Coverage.Scenario.NONE, roster).get("security")).extracting("available", "gap").containsExactly(0, 1);
    }

    @Test
    @DisplayName("what others may know of the at-risk flag: from which level the plan wants the person remote")
    void remoteFromLevel() {
        Map<String, Person> byId = ROSTER.people().stream().collect(Collectors.toMap(Person::id, Function.identity()));
        assertThat(Coverage.remoteFromLevel(PLAN, byId.get("p02"))).isEqualTo(1);
        assertThat(Coverage.remoteFromLevel(PLAN, byId.get("p01"))).isEqualTo(4);
    }
}
