package org.phare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("phare plan init and validate (no server needed)")
class PlanCommandsTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("init writes the default plan once; validate accepts it and locates every problem of a broken one")
    void initAndValidate() throws Exception {
        Path file = dir.resolve("plan.yaml");
        assertThat(Cli.run("plan", "init", file.toString()).exit()).isZero();
        assertThat(Files.readString(file)).contains("level: 4", "remote: everyone", "09:00");
        Cli again = Cli.run("plan", "init", file.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("exists; use --force");

        Cli ok = Cli.run("plan", "validate", file.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("a valid plan of 5 levels, 6 critical functions, 8 sites");

        String text = Files.readString(file);
        Files.writeString(file, text.replace("timezone: Europe/Paris", "timezone: Europe/Nowhere")
                .replace("meetings: [\"09:00\", \"17:00\"]\n    measures:\n      - {text: \"Split", "meetings: [\"9h\", \"17:00\"]\n    measures:\n      - {text: \"Split"));
        Cli bad = Cli.run("plan", "validate", file.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains(file + ":8:11: timezone: an IANA time zone")
                .containsPattern(java.util.regex.Pattern.quote(file.toString()) + ":\\d+:\\d+: levels\\[2\\]\\.meetings\\[0\\]: a meeting time is HH:MM")
                .contains("2 problem(s)");
    }

    @Test
    @DisplayName("phare demo's fictional roster fits the default plan: every line taken, someone qualified for every function")
    void demoRoster() {
        var plan = org.phare.api.PlanYaml.parse(org.phare.api.PlanYaml.defaultPlanText());
        var parsed = org.phare.api.RosterCsv.parse(DemoCommand.demoRoster(), plan);
        assertThat(parsed.rejected()).isEmpty();
        assertThat(parsed.people()).hasSize(18);
        var coverage = org.phare.core.continuity.Coverage.compute(plan, parsed.people(), 0, org.phare.core.continuity.Coverage.Scenario.NONE);
        assertThat(coverage.functions()).allSatisfy(f -> assertThat(f.qualified()).as(f.id()).isPositive());
    }
}
