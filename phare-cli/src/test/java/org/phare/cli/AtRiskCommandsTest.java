package org.phare.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.phare.api.Credentials;
import org.phare.api.PlanYaml;
import org.phare.server.PhareServer;
import org.phare.server.Topology;
import picocli.CommandLine;

/**
 * What the command line prints of the roster and of level changes, role by role, for two rosters that differ only
 * by who is at risk (Ann or Bob, both remote-ready operators; Cid or Dan, both network without VPN): the crisis
 * cell, auditors and operators read the same lines either way (counts), HR reads the names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("phare staff ls, level set and level show: who is at risk, as each role can tell")
class AtRiskCommandsTest {
    private static final String HEADER = "id,name,roles,site,vpn,mfa,at_risk\n";
    private static final String ROSTER_A = HEADER + """
            p1,Ann,operator,paris-hq,yes,yes,yes
            p2,Bob,operator,paris-hq,yes,yes,no
            p3,Cid,network,saint-cloud,no,no,yes
            p4,Dan,network,saint-cloud,no,no,no
            p5,Eva,support;crisis,paris-hq,yes,yes,no
            """;
    private static final String ROSTER_B = ROSTER_A.replace("paris-hq,yes,yes,yes\np2,Bob,operator,paris-hq,yes,yes,no",
            "paris-hq,yes,yes,no\np2,Bob,operator,paris-hq,yes,yes,yes").replace("no,no,yes\np4,Dan,network,saint-cloud,no,no,no",
            "no,no,no\np4,Dan,network,saint-cloud,no,no,yes");
    private static final List<String> ROLES = List.of("crisis", "hr", "auditor", "operator");

    /** Each role's printed lines, by command, for each roster. */
    private Map<String, String> a;
    private Map<String, String> b;

    @BeforeAll
    void runBoth(@TempDir Path dir) throws Exception {
        assertThat(ROSTER_B).isNotEqualTo(ROSTER_A).contains("p2,Bob,operator,paris-hq,yes,yes,yes", "p4,Dan,network,saint-cloud,no,no,yes");
        a = session(dir.resolve("a"), ROSTER_A);
        b = session(dir.resolve("b"), ROSTER_B);
    }

    @Test
    @DisplayName("the crisis cell, auditors and operators print the same lines whoever is at risk; the cell is told how many")
    void othersCannotTell() {
        for (String key : a.keySet()) {
            if (!key.startsWith("hr ")) {
                assertThat(normalised(a.get(key))).as(key + " tells who is at risk").isEqualTo(normalised(b.get(key)));
            }
        }
        assertThat(a.get("crisis level set 1")).contains("must switch to remote work: 1 (named to HR only)",
                "must work remotely but cannot (no VPN or no MFA): a gap to fix: 1 (named to HR only)").doesNotContain("Ann", "Cid");
        assertThat(a.get("crisis staff ls")).contains("Ann", "REMOTEREADY").doesNotContain("REMOTEFROMLEVEL", "ATRISK");
    }

    @Test
    @DisplayName("HR prints the at-risk flag and the people a change sends home")
    void hrSees() {
        assertThat(a.get("hr staff ls")).contains("REMOTEFROMLEVEL", "ATRISK").isNotEqualTo(b.get("hr staff ls"));
        assertThat(a.get("hr level show after 1")).contains("must switch to remote work: 1", "p1 Ann  (ops-24x7, dc-liaison)",
                "p3 Cid  (network)").doesNotContain("Bob");
        assertThat(b.get("hr level show after 1")).contains("p2 Bob  (ops-24x7, dc-liaison)", "p4 Dan  (network)").doesNotContain("Ann");
    }

    private static String normalised(String text) {
        return text.replaceAll("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(Z|[+-]\\d{2}:\\d{2})?", "<time>").replaceAll(" +", " ");
    }

    private Map<String, String> session(Path dir, String roster) throws Exception {
        Map<String, String> printed = new LinkedHashMap<>();
        try (PhareServer server = PhareServer.start(dir.resolve("data"), "127.0.0.1", 0, 0, Topology.defaults())) {
            String url = "http://127.0.0.1:" + server.port();
            Path file = dir.resolve("data").resolve(PhareServer.CREDENTIALS_FILE);
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.isRegularFile(file));
            ApiClient operator = new ApiClient(url, Credentials.fromProfile(file, "default"));
            Map<String, ApiClient> as = new LinkedHashMap<>();
            for (String role : ROLES) {
                if (role.equals("operator")) {
                    as.put(role, operator);
                } else {
                    operator.post("/v1/accounts", Map.of("name", "any-" + role, "role", role));
                    JsonNode key = operator.post("/v1/accounts/any-" + role + "/keys", Map.of());
                    as.put(role, new ApiClient(url, new Credentials(key.get("accessKeyId").asText(), key.get("secretAccessKey").asText())));
                }
            }
            as.get("crisis").putText("/v1/plan", "application/yaml", PlanYaml.defaultPlanText());
            as.get("hr").putOrPostText("POST", "/v1/staff", "text/csv", roster);
            for (String role : ROLES) {
                printed.put(role + " staff ls", run(as.get(role), StaffCommands.Ls::new));
                printed.put(role + " coverage 1", run(as.get(role), StaffCommands.Coverage::new, "--level", "1"));
            }
            printed.put("crisis level set 1", run(as.get("crisis"), LevelCommands.Set::new, "1", "--reason", "first cases"));
            ROLES.forEach(role -> printed.put(role + " level show after 1", run(as.get(role), LevelCommands.Show::new)));
            printed.put("operator level set 0", run(as.get("operator"), LevelCommands.Set::new, "0", "--reason", "all clear"));
            ROLES.forEach(role -> printed.put(role + " level show after 0", run(as.get(role), LevelCommands.Show::new)));
            printed.put("crisis site close", run(as.get("crisis"), LevelCommands.Close::new, "saint-cloud", "--order", "order 113"));
            ROLES.forEach(role -> printed.put(role + " level show after the closure", run(as.get(role), LevelCommands.Show::new)));
        }
        return printed;
    }

    /** What a command prints, run as the given client (the command line's own options would read the environment). */
    private static String run(ApiClient api, Supplier<ClientCommands.ClientCommand> command, String... args) {
        ClientCommands.ClientCommand c = command.get();
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(c);
        cl.setOut(new PrintWriter(out, true));
        cl.parseArgs(args);
        c.run(api);
        return out.toString();
    }
}
