package org.phare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code phare sim} as scripts use it: exit codes, JSON on standard output only, one-line errors. */
class SimCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    @DisplayName("--json prints one JSON object with the documented fields and nothing else on standard output")
    void jsonOutput() throws Exception {
        int code = run("sim", "--hosts", "12", "--zones", "3", "--instances", "60", "--scenario", "host-loss", "--seed", "4", "--json");
        assertThat(code).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        for (String field : new String[] {"seed", "hosts", "zones", "instances", "placementsPerSecond", "scenario",
                "affectedInstances", "detectionSeconds", "recoverySeconds", "unplacedInstances", "invariantViolations",
                "violations", "heapUsedMiB", "wallSeconds"}) {
            assertThat(json.has(field)).as("field %s in %s", field, json).isTrue();
        }
        assertThat(json.get("seed").asLong()).isEqualTo(4);
        assertThat(json.get("scenario").asText()).isEqualTo("host-loss");
        assertThat(json.get("invariantViolations").asInt()).isZero();
        assertThat(json.get("affectedInstances").asInt()).isPositive();
    }

    @Test
    @DisplayName("--seeds A..B prints one summary with runs, total violations and failed seeds")
    void sweepSummary() throws Exception {
        int code = run("sim", "--hosts", "6", "--zones", "2", "--instances", "20", "--scenario", "random", "--seeds", "1..5", "--json");
        assertThat(code).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("runs").asInt()).isEqualTo(5);
        assertThat(json.get("invariantViolations").asInt()).isZero();
        assertThat(json.get("failedSeeds").isArray()).isTrue();
        assertThat(json.get("failedSeeds")).isEmpty();
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource(delimiter = '|', value = {
        "--hosts -1|--hosts must be between",
        "--hosts many|Invalid value for option '--hosts'",
        "--colour blue|Unknown option",
        "--zones 0|--zones must be between",
        "--scenario meteor|unknown scenario 'meteor'",
        "--seeds 5..1|--seeds must look like A..B",
        "--admission maybe|--admission must be zone, host or none",
        "--utilisation 1.5|utilisation must be in (0, 1)"
    })
    @DisplayName("bad input gets one clear line and exit code 2, never a stack trace")
    void badInput(String args, String message) {
        int code = run(("sim " + args).split(" "));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    @DisplayName("sim --help teaches the scenarios and gives examples")
    void help() {
        int code = run("sim", "--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("zone-loss", "control-plane-isolation", "--seeds", "Examples");
    }
}
