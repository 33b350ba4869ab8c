package org.phare.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.phare.core.continuity.Coverage;
import org.phare.core.continuity.Person;
import org.phare.core.continuity.Plan;
import org.phare.core.continuity.PlanCheck;

/**
 * Coverage of the critical functions for 5,000 people and 200 functions (issue 6's figure): a plan of 5 levels,
 * 40 roles, 20 sites (4 offices), each function qualified by 3 roles; each person holds 1 to 3 roles, 90 %
 * remote-ready, 8 % at risk. {@code level4} is the costliest level (everyone must be remote); {@code scenario} adds
 * 30 % absent, a closed office and no transport.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CoverageBenchmark {
    static final int PEOPLE = 5_000;
    static final int FUNCTIONS = 200;
    private Plan plan;
    private List<Person> roster;
    private Coverage.Scenario scenario;

    /** The benchmark plan: 5 levels, 40 roles, 20 sites (4 offices), 200 functions of 3 roles each. */
    static Plan plan() {
        List<String> roles = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            roles.add("role-" + i);
        }
        List<Plan.Level> levels = new ArrayList<>();
        String[] remote = {"none", "at-risk", "at-risk", "at-risk", "everyone"};
        for (int l = 0; l < 5; l++) {
            levels.add(new Plan.Level(l, "level " + l, remote[l], List.of(), List.of(), l == 0 ? List.of() : List.of("09:00", "17:00")));
        }
        List<Plan.PlanSite> sites = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            sites.add(new Plan.PlanSite("site-" + s, s < 4 ? "office" : "datacenter", "area-" + (s % 7), null));
        }
        List<Plan.CriticalFunction> functions = new ArrayList<>();
        for (int f = 0; f < FUNCTIONS; f++) {
            functions.add(new Plan.CriticalFunction("f-" + f, "function " + f, List.of(roles.get(f % 40), roles.get((f * 7 + 3) % 40),
                    roles.get((f * 13 + 5) % 40)).stream().distinct().toList(), List.of(2, 3, 3, 2, 2)));
        }
        Plan plan = new Plan("bench", "Europe/Paris", roles, levels, sites, functions);
        if (!PlanCheck.problems(plan).isEmpty()) {
            throw new IllegalStateException("invalid bench plan: " + PlanCheck.problems(plan));
        }
        return plan;
    }

    /** 5,000 people of 1 to 3 roles, 90 % remote-ready, 8 % at risk, on the plan's sites. */
    static List<Person> roster(Plan plan, SplittableRandom random) {
        List<Person> roster = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            List<String> mine = new ArrayList<>();
            int n = 1 + random.nextInt(3);
            for (int k = 0; k < n; k++) {
                mine.add(plan.roles().get(random.nextInt(plan.roles().size())));
            }
            boolean ready = random.nextInt(10) != 0;
            roster.add(new Person("p" + i, "Person " + i, mine.stream().distinct().toList(),
                    plan.sites().get(random.nextInt(plan.sites().size())).id(), ready, ready, random.nextInt(100) < 8, "onsite"));
        }
        return roster;
    }

    @Setup
    public void setUp() {
        plan = plan();
        roster = roster(plan, new SplittableRandom(7));
        scenario = new Coverage.Scenario(30, 3, Set.of("site-1"), true);
        if (Coverage.compute(plan, roster, 4, scenario).functions().size() != FUNCTIONS) {
            throw new IllegalStateException("coverage did not cover every function");
        }
    }

    @Benchmark
    public Coverage.Report level0() {
        return Coverage.compute(plan, roster, 0, Coverage.Scenario.NONE);
    }

    @Benchmark
    public Coverage.Report level4() {
        return Coverage.compute(plan, roster, 4, Coverage.Scenario.NONE);
    }

    @Benchmark
    public Coverage.Report scenario() {
        return Coverage.compute(plan, roster, 2, scenario);
    }
}
