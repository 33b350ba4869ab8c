package org.phare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phare.api.Json;

@DisplayName("phare drill init, validate and predict (no server needed)")
class DrillCommandsTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("init writes the two shipped drills once; validate accepts both on phare demo's cloud")
    void initAndValidate() throws Exception {
        Path drills = dir.resolve("drills");
        Cli init = Cli.run("drill", "init", drills.toString());
        assertThat(init.exit()).as(init.err()).isZero();
        assertThat(Files.readString(drills.resolve("zone-loss.yaml"))).contains("loseZone: eu-west-2a", "announced: surprise");
        assertThat(Files.readString(drills.resolve("seed-exercise.yaml"))).contains("announced: 1d", "absent: 30%");

        Files.writeString(drills.resolve("zone-loss.yaml"), "# mine\n");
        Cli again = Cli.run("drill", "init", drills.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("zone-loss.yaml already exist(s); nothing written");
        assertThat(Files.readString(drills.resolve("zone-loss.yaml"))).as("not overwritten").isEqualTo("# mine\n");

        Files.delete(drills.resolve("zone-loss.yaml"));
        Files.delete(drills.resolve("seed-exercise.yaml"));
        assertThat(Cli.run("drill", "init", drills.toString()).exit()).isZero();
        Cli zone = Cli.run("drill", "validate", drills.resolve("zone-loss.yaml").toString());
        assertThat(zone.exit()).as(zone.err()).isZero();
        assertThat(zone.out()).isEqualTo("ok: zone-loss, 1 step, lasts 1m, a surprise; fits phare demo's cloud\n");
        Cli seed = Cli.run("drill", "validate", drills.resolve("seed-exercise.yaml").toString());
        assertThat(seed.exit()).as(seed.err()).isZero();
        assertThat(seed.out()).startsWith("ok: seed-exercise, 7 steps, lasts 12h, announced 1d ahead");
    }

    @Test
    @DisplayName("validate prints every problem as FILE:LINE:COLUMN: field: message and exits 1; a missing file too")
    void invalid() throws Exception {
        Path file = dir.resolve("zone-loss.yaml");
        Cli.run("drill", "init", dir.toString());
        String text = Files.readString(file);
        Files.writeString(file, text.replace("loseZone: eu-west-2a", "loseZone: eu-west-2z").replace("for: 1m", "for: soon"));
        Cli bad = Cli.run("drill", "validate", file.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).containsPattern(java.util.regex.Pattern.quote(file.toString()) + ":\\d+:\\d+: timeline\\[0\\]\\.for: a duration")
                .contains("1 problem(s) in " + file);
        // Once the structure is right, the cloud is checked: a zone the demo does not have.
        Files.writeString(file, text.replace("loseZone: eu-west-2a", "loseZone: eu-west-2z"));
        Cli zone = Cli.run("drill", "validate", file.toString());
        assertThat(zone.exit()).isEqualTo(1);
        assertThat(zone.err()).containsPattern(":\\d+:\\d+: timeline\\[0\\]\\.loseZone: no zone 'eu-west-2z' in the cloud");
        Cli missing = Cli.run("drill", "validate", dir.resolve("nowhere.yaml").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file");
        Cli both = Cli.run("drill", "validate", file.toString(), "--live", "--hosts", "3");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--hosts and --instances size a cloud of phare demo's shape");
    }

    @Test
    @DisplayName("predict the zone loss on phare demo's cloud: outages, objectives met in every seed, detection and recovery")
    void predictZoneLoss() throws Exception {
        Cli.run("drill", "init", dir.toString());
        Cli r = Cli.run("drill", "predict", dir.resolve("zone-loss.yaml").toString(), "--seeds", "4", "--instances", "12");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("predict: seed 1: ", "predict: seed 4: ");
        assertThat(r.out()).contains("drill zone-loss on phare demo's cloud (6 hosts in 3 zones, 12 instances), 4 seeds from 1",
                        "  4/4     every instance of the lost zone answers again within 30 s",
                        "  -       no manual intervention (not predicted")
                .containsPattern("p50 \\d+\\.\\d s   p95 \\d+\\.\\d s   max \\d+\\.\\d s \\(seed [1-4]\\)")
                .containsPattern("0s +crash every host of zone eu-west-2a for 1m: detected p50 \\d\\.\\d s");

        Cli json = Cli.run("drill", "predict", dir.resolve("zone-loss.yaml").toString(), "--seeds", "2", "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(json.err()).isEmpty();
        JsonNode p = Json.mapper().readTree(json.out());
        assertThat(p.at("/outage/instances").asInt()).isPositive();
        assertThat(p.at("/outage/maxSeconds").asDouble()).isBetween(1.0, 30.0);
        assertThat(p.at("/objectives/0/metInSeeds").asInt()).isEqualTo(2);
        assertThat(p.at("/objectives/1/metInSeeds").isNull()).isTrue();
        assertThat(p.at("/steps/0/detectionP50Seconds").asDouble()).isBetween(4.0, 5.5);
    }

    @Test
    @DisplayName("predict the seed's exercise: the plan reaches level 3 then 4 by its own triggers, in every seed")
    void predictSeedExercise() throws Exception {
        Cli.run("drill", "init", dir.toString());
        Cli r = Cli.run("drill", "predict", dir.resolve("seed-exercise.yaml").toString(), "--seeds", "2", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode p = Json.mapper().readTree(r.out());
        assertThat(p.at("/objectives/0/kind").asText()).isEqualTo("levelReached");
        assertThat(p.at("/objectives/0/metInSeeds").asInt()).isEqualTo(2);
        assertThat(p.at("/objectives/1/metInSeeds").isInt()).as("coverage is computed from the roster").isTrue();
        JsonNode checks = p.get("steps");
        assertThat(checks).filteredOn(s -> s.get("what").asText().startsWith("level "))
                .extracting(s -> s.get("checkMetInSeeds").asInt()).containsExactly(2, 2);
        assertThat(p.get("notes").toString()).doesNotContain("refused");
    }

    @Test
    @DisplayName("a drill naming a host is predicted only where that host exists; a wrong --seeds is a usage error")
    void predictNeedsItsHosts() throws Exception {
        Path file = dir.resolve("host.yaml");
        Files.writeString(file, """
                name: one-host
                announced: surprise
                timeline:
                  - {at: 0s, crashAgent: {host: h-a-7f3e21}, for: 1m}
                """);
        Cli r = Cli.run("drill", "predict", file.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("timeline[0].crashAgent.host: no host 'h-a-7f3e21' in the cloud");
        Files.writeString(file, Files.readString(file).replace("h-a-7f3e21", "agent-2"));
        assertThat(Cli.run("drill", "predict", file.toString(), "--seeds", "1").exit()).isZero();
        assertThat(Cli.run("drill", "predict", file.toString(), "--seeds", "0").exit()).isEqualTo(2);
    }
}
