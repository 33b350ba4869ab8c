package org.phare.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.phare.api.Credentials;
import org.phare.api.Json;
import org.phare.api.PlanYaml;
import org.phare.server.OperatorKey;
import org.phare.server.PhareServer;
import org.phare.server.Topology;

/**
 * The at-risk flag cannot be inferred by a role other than hr. Two clouds run the same session under the default
 * plan (levels 1 to 3 send only the at-risk home), with two rosters that differ only by who is at risk: Ann and Bob
 * (both operators at paris-hq, remote-ready) and Cid and Dan (both network at saint-cloud, not remote-ready) swap
 * the flag. Every answer the crisis cell, an auditor or an operator gets — the roster, coverage at every level and
 * under a scenario, the level and its changes (by hand and by the plan's triggers), a status set, the situation
 * report in its three formats — must be the same byte for byte once times are blanked out: if it differs, it tells
 * who is at risk. HR's answers differ, and name the people; tenants are refused everything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("who is at risk, as each role can tell")
class AtRiskDisclosureTest {
    private static final String HEADER = "id,name,roles,site,vpn,mfa,at_risk\n";
    private static final String OTHERS = """
            p5,Eva,support;crisis,paris-hq,yes,yes,no
            p6,Fay,security,eu-west-2a-dc1,yes,no,no
            p7,Gus,facilities;management,saint-cloud,yes,yes,no
            """;
    /** Ann and Cid at risk. */
    static final String ROSTER_A = HEADER + """
            p1,Ann,operator,paris-hq,yes,yes,yes
            p2,Bob,operator,paris-hq,yes,yes,no
            p3,Cid,network,saint-cloud,no,no,yes
            p4,Dan,network,saint-cloud,no,no,no
            """ + OTHERS;
    /** Bob and Dan at risk: the same people, the same counts. */
    static final String ROSTER_B = HEADER + """
            p1,Ann,operator,paris-hq,yes,yes,no
            p2,Bob,operator,paris-hq,yes,yes,yes
            p3,Cid,network,saint-cloud,no,no,no
            p4,Dan,network,saint-cloud,no,no,yes
            """ + OTHERS;

    private static final List<String> ROLES = List.of("crisis", "hr", "auditor", "operator", "tenant");
    private static final List<String> READS = List.of("/v1/staff", "/v1/level", "/v1/coverage", "/v1/coverage?level=0",
            "/v1/coverage?level=1", "/v1/coverage?level=2", "/v1/coverage?level=3", "/v1/coverage?level=4",
            "/v1/coverage?level=2&closeSite=saint-cloud&noTransport=true", "/v1/crisis/sitrep",
            "/v1/crisis/sitrep?format=md", "/v1/crisis/sitrep?format=html");

    /** A write of the session: who makes it, and the request. */
    private record Write(String role, String method, String path, String body) {}

    private static final List<Write> SESSION = List.of(
            new Write("crisis", "POST", "/v1/staff/p1/status", "{\"status\":\"onsite\"}"),
            new Write("crisis", "POST", "/v1/level", "{\"level\":1,\"reason\":\"first cases\"}"),
            new Write("operator", "POST", "/v1/level", "{\"level\":4,\"reason\":\"offices closed\"}"),
            new Write("crisis", "POST", "/v1/level", "{\"level\":1,\"reason\":\"offices open again\"}"),
            new Write("operator", "POST", "/v1/level", "{\"level\":0,\"reason\":\"all clear\"}"),
            new Write("crisis", "POST", "/v1/plan/closures", "{\"site\":\"saint-cloud\",\"order\":\"order 113\"}"),
            new Write("crisis", "POST", "/v1/plan/reopenings", "{\"site\":\"saint-cloud\"}"),
            new Write("operator", "POST", "/v1/level", "{\"level\":0,\"reason\":\"reopened\"}"),
            new Write("crisis", "POST", "/v1/transport", "{\"area\":\"paris-15\",\"lost\":true,\"reason\":\"metro strike\"}"));

    private record Answer(String request, int status, String body) {}

    private final HttpClient http = HttpClient.newHttpClient();
    private Map<String, List<Answer>> a;
    private Map<String, List<Answer>> b;

    @BeforeAll
    void runBoth(@TempDir Path dir) throws Exception {
        a = session(dir.resolve("a"), ROSTER_A);
        b = session(dir.resolve("b"), ROSTER_B);
    }

    @Test
    @DisplayName("the crisis cell, auditors and operators get the same answers whoever is at risk; tenants get none")
    void othersCannotTell() {
        List<String> telling = new ArrayList<>();
        for (String role : List.of("crisis", "auditor", "operator")) {
            assertThat(a.get(role)).hasSameSizeAs(b.get(role));
            for (int i = 0; i < a.get(role).size(); i++) {
                Answer x = a.get(role).get(i);
                Answer y = b.get(role).get(i);
                assertThat(x.status()).as("%s: %s", role, x.request()).isBetween(200, 201);
                if (!normalised(x.body()).equals(normalised(y.body()))) {
                    telling.add(role + ": " + x.request());
                }
            }
        }
        assertThat(telling).as("answers that tell who is at risk").isEmpty();
        assertThat(a.get("tenant")).isNotEmpty().allSatisfy(x -> {
            assertThat(x.status()).as(x.request()).isEqualTo(403);
            assertThat(x.body()).contains("\"code\":\"UnauthorizedOperation\"");
        });
    }

    @Test
    @DisplayName("a level change tells the crisis cell how many must switch to remote and how many cannot, not who")
    void countsForTheCell() throws Exception {
        Answer raised = find(a.get("crisis"), "POST /v1/level {\"level\":1,");
        JsonNode actions = Json.mapper().readTree(raised.body()).get("actions");
        assertThat(actions.at("/counts/toRemote").asInt()).as(raised.body()).isEqualTo(1);
        assertThat(actions.at("/counts/cannotRemote").asInt()).as(raised.body()).isEqualTo(1);
        assertThat(raised.body()).doesNotContain("Ann", "Bob", "Cid", "Dan", "p1", "p2", "p3", "p4");
    }

    @Test
    @DisplayName("HR sees the flag, and who must switch to remote at each change")
    void hrSees() throws Exception {
        assertThat(find(a.get("hr"), "GET /v1/staff ").body()).isNotEqualTo(find(b.get("hr"), "GET /v1/staff ").body());
        // The level as HR reads it right after the cell raised it to 1: the people named, with their functions.
        String raised = "GET /v1/level after POST /v1/level {\"level\":1,";
        JsonNode inA = Json.mapper().readTree(find(a.get("hr"), raised).body());
        JsonNode inB = Json.mapper().readTree(find(b.get("hr"), raised).body());
        assertThat(inA.at("/actions/toRemote").findValuesAsText("name")).containsExactly("Ann");
        assertThat(inA.at("/actions/cannotRemote").findValuesAsText("name")).containsExactly("Cid");
        assertThat(inB.at("/actions/toRemote").findValuesAsText("name")).containsExactly("Bob");
        assertThat(inB.at("/actions/cannotRemote").findValuesAsText("name")).containsExactly("Dan");
    }

    /** Times of day, instants and durations blanked out: two runs seconds apart differ by nothing else. */
    static String normalised(String body) {
        return body.replaceAll("\\d{4}-\\d{2}-\\d{2}[T ][0-9:.]+(Z|[+-]\\d{2}:\\d{2})?", "<time>")
                .replaceAll("\\b\\d{13}\\b", "<ms>")
                .replaceAll("\\(\\d+ [a-z]+( \\d+ [a-z]+)? ago\\)", "(<ago>)");
    }

    /**
     * A new cloud with the default plan and {@code roster}, then {@link #SESSION}; after the import and after every
     * write, every role reads every route of {@link #READS}. Each role's answers, in order: the writes it made
     * (a tenant: the same writes, refused), and its reads, labelled with the write they follow.
     */
    private Map<String, List<Answer>> session(Path dataDir, String roster) throws Exception {
        try (PhareServer server = PhareServer.start(dataDir, "127.0.0.1", 0, 0, Topology.defaults())) {
            String url = "http://127.0.0.1:" + server.port();
            Map<String, Credentials> keys = new LinkedHashMap<>();
            Credentials operator = OperatorKey.await(dataDir);
            for (String role : ROLES) {
                keys.put(role, role.equals("operator") ? operator : account(url, operator, "any-" + role, role));
            }
            assertThat(send(url, keys.get("crisis"), "PUT", "/v1/plan", PlanYaml.defaultPlanText()).statusCode()).isEqualTo(201);
            HttpResponse<String> imported = send(url, keys.get("hr"), "POST", "/v1/staff", roster);
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);

            Map<String, List<Answer>> answers = new LinkedHashMap<>();
            ROLES.forEach(r -> answers.put(r, new ArrayList<>()));
            readAll(url, keys, answers, "after the import");
            for (Write w : SESSION) {
                HttpResponse<String> r = send(url, keys.get(w.role()), w.method(), w.path(), w.body());
                assertThat(r.statusCode()).as("%s %s: %s", w.method(), w.path(), r.body()).isBetween(200, 201);
                answers.get(w.role()).add(new Answer(w.method() + " " + w.path() + " " + w.body(), r.statusCode(), r.body()));
                // The same write by a tenant: refused, so its answers are compared too.
                HttpResponse<String> t = send(url, keys.get("tenant"), w.method(), w.path(), w.body());
                answers.get("tenant").add(new Answer(w.method() + " " + w.path(), t.statusCode(), t.body()));
                readAll(url, keys, answers, "after " + w.method() + " " + w.path() + " " + w.body());
            }
            return answers;
        }
    }

    private void readAll(String url, Map<String, Credentials> keys, Map<String, List<Answer>> answers, String when) throws Exception {
        for (String role : ROLES) {
            for (String path : READS) {
                HttpResponse<String> r = send(url, keys.get(role), "GET", path, null);
                answers.get(role).add(new Answer("GET " + path + " " + when, r.statusCode(), r.body()));
            }
        }
    }

    private Credentials account(String url, Credentials operator, String name, String role) throws Exception {
        HttpResponse<String> made = send(url, operator, "POST", "/v1/accounts", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonNode key = Json.mapper().readTree(send(url, operator, "POST", "/v1/accounts/" + name + "/keys", "{}").body());
        return new Credentials(key.get("accessKeyId").asText(), key.get("secretAccessKey").asText());
    }

    private HttpResponse<String> send(String url, Credentials c, String method, String path, String body) throws Exception {
        return http.send(OperatorKey.signed(c, method, URI.create(url + path), body == null ? null : body.getBytes(StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Answer find(List<Answer> answers, String request) {
        return answers.stream().filter(x -> x.request().startsWith(request)).findFirst()
                .orElseThrow(() -> new AssertionError("no answer to " + request));
    }
}
