package org.phare.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phare.api.Json;
import org.phare.core.agent.Protocol;
import org.phare.core.model.HostId;
import org.phare.core.model.Resources;
import org.phare.core.model.SiteId;
import org.phare.core.model.ZoneId;
import org.phare.server.PhareServer;
import org.phare.server.Topology;

/** The native API over real HTTP, against a real server with its durable log on a temporary directory. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("the native API")
class ApiServerTest {
    private PhareServer server;
    private Path dataDir;
    private final HttpClient http = HttpClient.newHttpClient();
    private org.phare.api.Credentials operator;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        dataDir = dir.resolve("data");
        server = PhareServer.start(dataDir, "127.0.0.1", 0, 0, Topology.defaults());
        operator = org.phare.server.OperatorKey.await(dataDir);
        for (String zone : new String[] {"a", "b", "c"}) {
            for (int i = 1; i <= 2; i++) {
                var reg = new Protocol.Registration(new HostId("h-" + zone + "-" + i), new ZoneId("eu-west-2" + zone),
                        new SiteId("eu-west-2" + zone + "-dc" + i), new Resources(8, 16384), Map.of());
                assertThat(call("POST", "/agent/v1/register", Json.mapper().writeValueAsString(reg)).statusCode()).isEqualTo(200);
            }
        }
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(org.phare.server.OperatorKey.signed(operator, method, URI.create("http://127.0.0.1:" + server.port() + path),
                body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    @Test
    @DisplayName("a new instance is placed at once and listed with the stable fields")
    void runAndList() throws Exception {
        HttpResponse<String> created = call("POST", "/v1/instances", "{\"image\":\"http-echo\",\"type\":\"tinav5.c1r1\",\"name\":\"web\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode instance = json(created).get(0);
        assertThat(instance.get("id").asText()).startsWith("i-");
        assertThat(instance.get("generation").asLong()).isEqualTo(1);
        assertThat(instance.get("host").asText()).startsWith("h-");
        assertThat(instance.get("state").asText()).isEqualTo("pending");
        HttpResponse<String> rebooted = call("POST", "/v1/instances/" + instance.get("id").asText() + "/reboot", null);
        assertThat(rebooted.statusCode()).as(rebooted.body()).isEqualTo(200);
        assertThat(json(rebooted).get("reboots").asInt()).isEqualTo(1);
        assertThat(json(rebooted).get("generation").asLong()).as("a reboot moves nothing").isEqualTo(1);
        HttpResponse<String> one = call("GET", "/v1/instances/" + instance.get("id").asText(), null);
        assertThat(json(one).get("zone").asText()).startsWith("eu-west-2");
        JsonNode page = json(call("GET", "/v1/instances?limit=1", null));
        assertThat(page.get("items")).hasSize(1);
        JsonNode hosts = json(call("GET", "/v1/hosts", null));
        assertThat(hosts.get("items")).hasSizeGreaterThanOrEqualTo(6);
        assertThat(hosts.get("items").get(0).has("instances")).isTrue();
    }

    @Test
    @DisplayName("/metrics exposes hosts and instances by state, placements, failovers, recovery time and heartbeat lag")
    void metrics() throws Exception {
        HttpResponse<String> r = call("GET", "/metrics", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).containsPattern("phare_hosts\\{state=\"ready\"} [6-9]\\.0").contains("phare_instances{state=\"pending\"}",
                "phare_placements_total", "phare_failovers_total", "phare_recovery_seconds_bucket", "phare_heartbeat_gap_seconds");
        assertThat(call("GET", "/healthz", null).body()).isEqualTo("ok");
        assertThat(call("GET", "/readyz", null).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("the continuity plan: applied from YAML as versions with who and why, located refusals, roles")
    void continuityPlan() throws Exception {
        String plan = org.phare.api.PlanYaml.defaultPlanText();
        HttpResponse<String> first = call("PUT", "/v1/plan?note=first%20plan", plan);
        assertThat(first.statusCode()).as(first.body()).isIn(200, 201);
        int version = json(first).get("version").asInt();
        HttpResponse<String> same = call("PUT", "/v1/plan", plan);
        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(json(same).get("changed").asBoolean()).as("the same plan again is no new version").isFalse();

        String changed = plan.replace("threshold: 30%", "threshold: 25%");
        HttpResponse<String> next = call("PUT", "/v1/plan?note=lower%20threshold", changed);
        assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
        assertThat(json(next).get("version").asInt()).isEqualTo(version + 1);
        JsonNode current = json(call("GET", "/v1/plan", null));
        assertThat(current.get("version").asInt()).isEqualTo(version + 1);
        assertThat(current.at("/plan/levels/4/triggers/1/threshold").asDouble()).isEqualTo(25.0);
        JsonNode history = json(call("GET", "/v1/plan/history", null));
        assertThat(history.get(history.size() - 1).get("note").asText()).isEqualTo("lower threshold");
        assertThat(history.get(history.size() - 1).get("by").asText()).isEqualTo("operator");

        HttpResponse<String> invalid = call("PUT", "/v1/plan", plan.replace("owner: hr}", "owner: nobody}"));
        assertThat(invalid.statusCode()).isEqualTo(400);
        JsonNode problems = json(invalid).at("/error/problems");
        assertThat(json(invalid).at("/error/code").asText()).isEqualTo("InvalidPlan");
        assertThat(problems).isNotEmpty();
        assertThat(problems.get(0).get("line").asInt()).isPositive();
        assertThat(problems.get(0).get("path").asText()).endsWith(".owner");
        assertThat(json(call("GET", "/v1/plan", null)).get("version").asInt()).as("nothing applied").isEqualTo(version + 1);
    }

    static final String ROSTER = """
            id,name,roles,site,vpn,mfa,at_risk
            p1,Ann,operator,paris-hq,yes,yes,yes
            p2,Bea,operator,saint-cloud,no,no,no
            p3,Cid,network,paris-hq,yes,yes,no
            p4,Dee,network;security,paris-hq,yes,no,yes
            p5,Eve,astronaut,paris-hq,yes,yes,no
            """;

    @Test
    @DisplayName("the roster and coverage: import with rejected lines, statuses, coverage by level and scenario; no at-risk flag for an operator")
    void staffAndCoverage() throws Exception {
        call("PUT", "/v1/plan", org.phare.api.PlanYaml.defaultPlanText());
        HttpResponse<String> imported = call("POST", "/v1/staff", ROSTER);
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        assertThat(json(imported).get("imported").asInt()).isEqualTo(4);
        assertThat(json(imported).at("/rejected/0/line").asInt()).isEqualTo(6);
        assertThat(imported.body()).doesNotContain("Eve");

        HttpResponse<String> staff = call("GET", "/v1/staff", null);
        assertThat(staff.body()).doesNotContainIgnoringCase("atrisk").doesNotContainIgnoringCase("at_risk");
        JsonNode people = json(staff);
        assertThat(people).hasSize(4);
        assertThat(staff.body()).as("Ann is at risk: remote from level 1, which says so").doesNotContain("remoteFromLevel");

        JsonNode level1 = json(call("GET", "/v1/coverage?level=1", null));
        JsonNode network = null;
        for (JsonNode f : level1.get("functions")) {
            if (f.get("id").asText().equals("network")) {
                network = f;
            }
        }
        assertThat(network.get("available").asInt()).as("Dee is at risk and not remote-ready").isEqualTo(1);
        assertThat(network.get("gap").asInt()).isEqualTo(1);
        assertThat(network.get("singlePoint").asBoolean()).isTrue();
        assertThat(level1.toString()).doesNotContain("Ann", "Dee").doesNotContainIgnoringCase("atrisk");

        HttpResponse<String> quarantined = call("POST", "/v1/staff/p3/status", "{\"status\":\"quarantined\"}");
        assertThat(quarantined.statusCode()).as(quarantined.body()).isEqualTo(200);
        assertThat(json(quarantined).get("status").asText()).isEqualTo("quarantined");
        assertThat(call("POST", "/v1/staff/p3/status", "{\"status\":\"sleeping\"}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/v1/staff/p9/status", "{\"status\":\"absent\"}").statusCode()).isEqualTo(404);
        JsonNode strike = json(call("GET", "/v1/coverage?level=0&noTransport=true&absent=50%25&seed=3&closeSite=saint-cloud", null));
        assertThat(strike.at("/scenario/noTransport").asBoolean()).isTrue();
        assertThat(strike.get("absent").asInt()).as("Cid quarantined, then half of the 3 others").isEqualTo(3);
        assertThat(call("GET", "/v1/coverage?level=9", null).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/v1/coverage?absent=200", null).statusCode()).isEqualTo(400);
        // A re-import keeps the statuses of people already known.
        call("POST", "/v1/staff", ROSTER);
        assertThat(call("GET", "/v1/staff", null).body()).contains("\"quarantined\"");
    }

    @Test
    @DisplayName("the alert level: a change answers its actions and is recorded with who and why; the same level again is no change")
    void level() throws Exception {
        call("PUT", "/v1/plan", org.phare.api.PlanYaml.defaultPlanText());
        call("POST", "/v1/staff", ROSTER);
        HttpResponse<String> up = call("POST", "/v1/level", "{\"level\":4,\"reason\":\"prefect's order: offices closed\"}");
        assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
        JsonNode change = json(up);
        assertThat(change.get("to").asInt()).isEqualTo(4);
        assertThat(change.get("by").asText()).isEqualTo("operator");
        assertThat(change.at("/actions/counts/cannotRemote").asInt()).as("Bea and Dee: no VPN or no MFA").isEqualTo(2);
        assertThat(change.at("/actions/cannotRemote").isMissingNode()).as("named to HR only").isTrue();
        assertThat(change.at("/actions/meetings")).hasSize(2);
        assertThat(up.body()).doesNotContainIgnoringCase("atrisk");
        assertThat(json(call("POST", "/v1/level", "{\"level\":4,\"reason\":\"again\"}")).get("changed").asBoolean()).isFalse();
        assertThat(call("POST", "/v1/level", "{\"level\":9,\"reason\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/v1/level", "{\"level\":1}").statusCode()).isEqualTo(400);
        JsonNode shown = json(call("GET", "/v1/level", null));
        assertThat(shown.get("level").asInt()).isEqualTo(4);
        assertThat(shown.get("reason").asText()).isEqualTo("prefect's order: offices closed");
        assertThat(call("POST", "/v1/level", "{\"level\":0,\"reason\":\"order lifted\"}").statusCode()).isEqualTo(201);
        assertThat(json(call("GET", "/v1/level", null)).get("history").size()).isGreaterThanOrEqualTo(2);

        // A closure order: the plan's trigger raises to level 3; the closed site counts in every coverage.
        HttpResponse<String> closed = call("POST", "/v1/plan/closures", "{\"site\":\"saint-cloud\",\"order\":\"prefect's order 113\"}");
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(201);
        assertThat(json(closed).at("/levelChange/to").asInt()).isEqualTo(3);
        assertThat(json(closed).at("/levelChange/trigger").asText()).isEqualTo("closure-order");
        JsonNode level = json(call("GET", "/v1/level", null));
        assertThat(level.get("level").asInt()).isEqualTo(3);
        assertThat(level.at("/closedSites/saint-cloud").asText()).isEqualTo("prefect's order 113");
        JsonNode coverage = json(call("GET", "/v1/coverage?level=0", null));
        assertThat(coverage.at("/scenario/closedSites").toString()).contains("saint-cloud");
        assertThat(call("POST", "/v1/plan/closures", "{\"site\":\"lyon\",\"order\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(call("POST", "/v1/level", "{\"level\":0,\"reason\":\"order lifted\"}").statusCode()).isEqualTo(201);
    }

    @Test
    @DisplayName("the crisis cell: meetings, minutes, decisions, actions, transport, reopening, and the sitrep in three formats")
    void crisisCell() throws Exception {
        call("PUT", "/v1/plan", org.phare.api.PlanYaml.defaultPlanText());
        call("POST", "/v1/staff", ROSTER);
        HttpResponse<String> opened = call("POST", "/v1/crisis/meetings", null);
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
        int meeting = json(opened).get("id").asInt();
        assertThat(call("POST", "/v1/crisis/meetings", null).statusCode()).as("one at a time").isEqualTo(409);
        assertThat(call("POST", "/v1/crisis/minutes", "{\"text\":\"all sites open\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> decided = call("POST", "/v1/crisis/minutes", "{\"text\":\"car-pooling from Monday\",\"decision\":true}");
        assertThat(json(decided).get("meeting").asInt()).isEqualTo(meeting);
        assertThat(call("POST", "/v1/crisis/minutes", "{\"text\":\"\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> action = call("POST", "/v1/crisis/actions", "{\"text\":\"VPN for p2\",\"owner\":\"p1\",\"due\":\"+4h\"}");
        assertThat(action.statusCode()).as(action.body()).isEqualTo(201);
        assertThat(json(action).get("due").asText()).as("in the plan's time zone").matches(".*T.*\\+0[12]:00");
        assertThat(call("POST", "/v1/crisis/actions", "{\"text\":\"x\",\"owner\":\"ghost\",\"due\":\"+4h\"}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/v1/crisis/actions", "{\"text\":\"x\",\"owner\":\"p1\",\"due\":\"someday\"}").statusCode()).isEqualTo(400);
        call("POST", "/v1/crisis/actions", "{\"text\":\"call the prefecture\",\"owner\":\"crisis\",\"due\":\"+1h\"}");
        assertThat(call("POST", "/v1/crisis/meetings/close", null).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/v1/crisis/meetings/close", null).statusCode()).isEqualTo(409);
        HttpResponse<String> closedAction = call("POST", "/v1/crisis/actions/2/close", "{\"outcome\":\"order expected at 18:00\"}");
        assertThat(json(closedAction).get("open").asBoolean()).isFalse();
        assertThat(call("POST", "/v1/crisis/actions/x/close", null).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/v1/crisis/actions/99/close", null).statusCode()).isEqualTo(404);
        assertThat(json(call("GET", "/v1/crisis/actions", null))).hasSize(1);
        assertThat(json(call("GET", "/v1/crisis/actions?all=true", null))).hasSize(2);
        JsonNode meetings = json(call("GET", "/v1/crisis/meetings", null));
        assertThat(meetings.get("current").isNull()).isTrue();
        assertThat(meetings.at("/meetings/0/minutes")).hasSize(2);

        HttpResponse<String> strike = call("POST", "/v1/transport", "{\"area\":\"paris-15\",\"lost\":true,\"reason\":\"metro strike\"}");
        assertThat(strike.statusCode()).as(strike.body()).isEqualTo(200);
        assertThat(call("POST", "/v1/transport", "{\"area\":\"lyon\",\"lost\":true,\"reason\":\"x\"}").statusCode()).isEqualTo(404);

        JsonNode sitrep = json(call("GET", "/v1/crisis/sitrep", null));
        assertThat(sitrep.at("/level/transportLost/0/area").asText()).isEqualTo("paris-15");
        assertThat(sitrep.get("openActionsTotal").asInt()).isEqualTo(1);
        assertThat(sitrep.at("/lastDecisions/0/text").asText()).isEqualTo("car-pooling from Monday");
        assertThat(sitrep.at("/meetings/previous/id").asInt()).isEqualTo(meeting);
        assertThat(sitrep.at("/staff/people").asInt()).isPositive();
        assertThat(sitrep.get("regions")).isNotEmpty();
        HttpResponse<String> md = call("GET", "/v1/crisis/sitrep?format=md", null);
        assertThat(md.headers().firstValue("content-type").orElse("")).startsWith("text/markdown");
        assertThat(md.body()).startsWith("# Situation report").contains("## Alert level", "## Infrastructure",
                "## Failovers since the last meeting", "## Capacity against the failover reserve", "## Staff coverage",
                "## Open actions", "VPN for p2", "## Last decisions", "car-pooling from Monday", "No transport: paris-15");
        HttpResponse<String> html = call("GET", "/v1/crisis/sitrep?format=html", null);
        assertThat(html.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(html.headers().firstValue("content-security-policy").orElse("")).isEqualTo("default-src 'none'; style-src 'unsafe-inline'");
        assertThat(html.body()).startsWith("<!DOCTYPE html>").contains("@media print", "<table>", "VPN for p2")
                .doesNotContain("<script", "src=", "href=", "<link");
        assertThat(call("GET", "/v1/crisis/sitrep?format=pdf", null).statusCode()).isEqualTo(400);
        for (HttpResponse<String> r : List.of(md, html)) {
            assertThat(r.body()).doesNotContainIgnoringCase("at risk").doesNotContainIgnoringCase("atrisk");
        }

        call("POST", "/v1/plan/closures", "{\"site\":\"saint-cloud\",\"order\":\"order 113\"}");
        JsonNode reopened = json(call("POST", "/v1/plan/reopenings", "{\"site\":\"saint-cloud\"}"));
        assertThat(reopened.get("reopened")).extracting(JsonNode::asText).containsExactly("saint-cloud");
        assertThat(json(call("GET", "/v1/level", null)).get("closedSites")).isEmpty();
        call("POST", "/v1/transport", "{\"area\":\"paris-15\",\"lost\":false}");
        call("POST", "/v1/level", "{\"level\":0,\"reason\":\"strike over\"}");
    }

    @Test
    @DisplayName("/v1/openapi.json documents every /v1 route the server answers")
    void openApi() throws Exception {
        HttpResponse<String> r = call("GET", "/v1/openapi.json", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode paths = json(r).get("paths");
        String[][] routes = {{"/v1/instances", "get"}, {"/v1/instances", "post"}, {"/v1/instances/{id}", "get"},
            {"/v1/instances/{id}", "delete"}, {"/v1/instances/{id}/{action}", "post"}, {"/v1/hosts", "get"},
            {"/v1/hosts/{id}/{action}", "post"}, {"/v1/regions", "get"}, {"/v1/zones", "get"},
            {"/v1/instance-types", "get"}, {"/v1/images", "get"}, {"/v1/openapi.json", "get"}, {"/v1/sites", "get"},
            {"/v1/regions", "post"}, {"/v1/zones", "post"}, {"/v1/sites", "post"}, {"/v1/instance-types", "post"}, {"/v1/images", "post"},
            {"/v1/cluster", "get"}, {"/v1/cluster/members", "post"}, {"/v1/cluster/members/{id}", "delete"},
            {"/v1/accounts", "get"}, {"/v1/accounts", "post"}, {"/v1/accounts/{name}/keys", "post"}, {"/v1/keys", "get"},
            {"/v1/keys/{id}", "delete"}, {"/v1/plan", "get"}, {"/v1/plan", "put"}, {"/v1/plan/history", "get"}, {"/v1/staff", "get"}, {"/v1/staff", "post"},
            {"/v1/staff/{id}/status", "post"}, {"/v1/coverage", "get"}, {"/v1/level", "get"}, {"/v1/level", "post"}, {"/v1/plan/closures", "post"},
            {"/v1/crisis/sitrep", "get"}, {"/v1/crisis/meetings", "get"}, {"/v1/crisis/meetings", "post"},
            {"/v1/crisis/meetings/close", "post"}, {"/v1/crisis/minutes", "post"}, {"/v1/crisis/actions", "get"},
            {"/v1/crisis/actions", "post"}, {"/v1/crisis/actions/{id}/close", "post"}, {"/v1/transport", "post"},
            {"/v1/plan/reopenings", "post"}, {"/v1/drills", "get"}, {"/v1/drills", "post"}, {"/v1/drills/{id}", "get"},
            {"/v1/drills/{id}/abort", "post"}, {"/v1/drills/{id}/probe", "post"}, {"/v1/drills/{id}/report", "get"},
            {"/v1/drills/{id}/findings", "post"}, {"/v1/placement", "get"}, {"/v1/cluster/log-format", "post"}, {"/v1/events", "get"}};
        for (String[] route : routes) {
            assertThat(paths.has(route[0]) && paths.get(route[0]).has(route[1])).as("%s %s documented", route[1], route[0]).isTrue();
        }
        // and nothing documented is missing from the server: every documented GET without parameters answers 200
        // (once a plan is there)
        call("PUT", "/v1/plan", org.phare.api.PlanYaml.defaultPlanText());
        for (var it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            if (!path.contains("{") && paths.get(path).has("get")) {
                assertThat(call("GET", path, null).statusCode()).as("GET %s", path).isEqualTo(200);
            }
        }
    }

    @Test
    @DisplayName("the topology changes through the API: a new zone with a site takes hosts and instances")
    void topologyThroughTheApi() throws Exception {
        assertThat(call("POST", "/v1/zones", "{\"id\":\"eu-west-2d\",\"region\":\"eu-west-2\"}").statusCode()).isEqualTo(201);
        assertThat(call("POST", "/v1/sites", "{\"id\":\"eu-west-2d-dc1\",\"zone\":\"eu-west-2d\",\"description\":\"new\"}").statusCode()).isEqualTo(201);
        assertThat(call("POST", "/v1/instance-types", "{\"id\":\"tinav5.c8r16\",\"resources\":{\"vcpus\":8,\"memMiB\":16384}}").statusCode()).isEqualTo(201);
        assertThat(json(call("GET", "/v1/zones", null))).hasSize(4);
        HttpResponse<String> badZone = call("POST", "/v1/zones", "{\"id\":\"x-1a\",\"region\":\"mars\"}");
        assertThat(badZone.statusCode()).isEqualTo(404);
        assertThat(json(badZone).get("error").get("message").asText()).contains("region mars does not exist");
        HttpResponse<String> badType = call("POST", "/v1/instance-types", "{\"id\":\"t0\",\"resources\":{\"vcpus\":-1,\"memMiB\":1}}");
        assertThat(badType.statusCode()).isEqualTo(400);
        var reg = new Protocol.Registration(new HostId("h-d-1"), new ZoneId("eu-west-2d"), new SiteId("eu-west-2d-dc1"),
                new Resources(8, 16384), Map.of());
        assertThat(call("POST", "/agent/v1/register", Json.mapper().writeValueAsString(reg)).statusCode()).isEqualTo(200);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("POST", "/v1/instances", "{not json", 400, "InvalidJson"),
                Arguments.of("POST", "/v1/instances", "", 400, "InvalidJson"),
                Arguments.of("POST", "/v1/instances", "{\"image\":\"http-echo\",\"type\":\"tinav5.c1r1\",\"colour\":\"red\"}", 400, "InvalidJson"),
                Arguments.of("POST", "/v1/instances", "{\"image\":\"http-echo\",\"type\":\"tinav5.c1r1\",\"count\":-3}", 400, "InvalidParameterValue"),
                Arguments.of("POST", "/v1/instances", "{\"type\":\"tinav5.c1r1\"}", 400, "MissingParameter"),
                Arguments.of("POST", "/v1/instances", "{\"image\":\"http-echo\",\"type\":\"m9.huge\"}", 404, "NotFound"),
                Arguments.of("POST", "/v1/instances", "{\"image\":\"http-echo\",\"type\":\"tinav5.c1r1\",\"zone\":\"mars-1a\"}", 404, "NotFound"),
                Arguments.of("POST", "/v1/instances", "{\"image\":\"http-echo\",\"type\":\"tinav5.c1r1\",\"tenant\":\" \"}", 400, "InvalidParameterValue"),
                Arguments.of("POST", "/v1/instances", "{\"image\":\"http-echo\",\"type\":\"tinav5.c1r1\",\"count\":\"many\"}", 400, "InvalidJson"),
                Arguments.of("POST", "/v1/instances", "{\"image\":\"http-echo\",\"type\":\"tinav5.c1r1\",\"pad\":\"" + "x".repeat(2 << 20) + "\"}", 413, "RequestTooLarge"),
                Arguments.of("GET", "/v1/instances/i-0000000000000dead", null, 404, "NotFound"),
                Arguments.of("POST", "/v1/instances/i-0000000000000dead/stop", null, 404, "NotFound"),
                Arguments.of("POST", "/v1/instances/i-0000000000000dead/explode", null, 404, "NotFound"),
                Arguments.of("POST", "/v1/instances/i-0000000000000dead/reboot", null, 404, "NotFound"),
                Arguments.of("DELETE", "/v1/instances/i-0000000000000dead", null, 404, "NotFound"),
                Arguments.of("POST", "/v1/hosts/h-z-9/cordon", null, 404, "NotFound"),
                Arguments.of("GET", "/v1/instances?limit=0", null, 400, "InvalidParameterValue"),
                Arguments.of("GET", "/v1/instances?limit=abc", null, 400, "InvalidParameterValue"),
                Arguments.of("GET", "/v1/instances?nextToken=nope", null, 400, "InvalidParameterValue"),
                Arguments.of("GET", "/v1/nowhere", null, 404, "NotFound"),
                Arguments.of("POST", "/v1/zones", "{bad", 400, "InvalidJson"),
                Arguments.of("POST", "/v1/zones", "{\"id\":\"eu-west-2q\",\"region\":\"eu-west-2\",\"extra\":1}", 400, "InvalidJson"),
                Arguments.of("POST", "/v1/regions", "{\"id\":\"\"}", 400, "InvalidJson"),
                Arguments.of("POST", "/v1/sites", "{\"id\":\"s-1\",\"zone\":\"nowhere\",\"description\":\"x\"}", 404, "NotFound"),
                Arguments.of("POST", "/v1/instance-types", "{\"id\":\"t1\",\"resources\":{\"vcpus\":0,\"memMiB\":1}}", 400, "InvalidParameterValue"),
                Arguments.of("POST", "/v1/images", "[]", 400, "InvalidJson"),
                Arguments.of("POST", "/v1/hosts/h-a-1/melt", null, 404, "NotFound"),
                Arguments.of("POST", "/agent/v1/heartbeat", "{\"host\":\"h-a-1\",\"appliedReply\":{\"incarnation\":1,\"seq\":1},\"running\":[{\"instance\":\"i-1\",\"generation\":\"x\",\"ready\":true}]}", 400, "InvalidJson"),
                Arguments.of("POST", "/agent/v1/heartbeat", "{\"host\":\"\"}", 400, "InvalidJson"),
                Arguments.of("POST", "/agent/v2/heartbeat", "{\"host\":\"h-a-1\",\"running\":[],\"runningChanges\":{\"base\":1,\"upserted\":[],\"removed\":[]}}", 400, "InvalidJson"),
                Arguments.of("POST", "/agent/v1/register", "{\"host\":\"h-x\",\"zone\":\"mars-1a\",\"site\":\"s\",\"capacity\":{\"vcpus\":1,\"memMiB\":1},\"labels\":{}}", 400, "InvalidParameterValue"));
    }

    @ParameterizedTest(name = "{0} {1} -> {3} {4}")
    @MethodSource("badRequests")
    @DisplayName("bad input gets a 4xx with a stable code and a precise message, and changes nothing")
    void badInput(String method, String path, String body, int status, String code) throws Exception {
        int before = json(call("GET", "/v1/instances?limit=1000", null)).get("items").size();
        HttpResponse<String> r = call(method, path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = json(r).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank().doesNotContain("Exception");
        assertThat(json(call("GET", "/v1/instances?limit=1000", null)).get("items")).hasSize(before);
    }

    @Test
    @DisplayName("accounts and access keys: the secret is shown once, never listed, and never stored in clear")
    void accountsAndKeys() throws Exception {
        assertThat(call("POST", "/v1/accounts", "{\"name\":\"acme\"}").statusCode()).isEqualTo(201);
        assertThat(call("POST", "/v1/accounts", "{\"name\":\"ops\",\"role\":\"operator\"}").statusCode()).isEqualTo(201);
        assertThat(json(call("POST", "/v1/accounts", "{\"name\":\"acme\"}")).at("/error/code").asText()).isEqualTo("Conflict");
        assertThat(json(call("POST", "/v1/accounts", "{\"name\":\"Bad Name\"}")).at("/error/code").asText())
                .isEqualTo("InvalidParameterValue");
        assertThat(json(call("POST", "/v1/accounts", "{\"name\":\"x\",\"role\":\"king\"}")).at("/error/code").asText())
                .isEqualTo("InvalidParameterValue");
        assertThat(json(call("POST", "/v1/accounts/nobody/keys", null)).at("/error/code").asText()).isEqualTo("NotFound");

        HttpResponse<String> created = call("POST", "/v1/accounts/acme/keys", null);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode key = json(created);
        String id = key.get("accessKeyId").asText();
        String secret = key.get("secretAccessKey").asText();
        assertThat(id).matches("PHK[A-Z0-9]{17}");
        assertThat(secret).hasSize(40);
        assertThat(key.get("account").asText()).isEqualTo("acme");

        String listed = call("GET", "/v1/keys?account=acme", null).body();
        assertThat(listed).contains(id).doesNotContain(secret).doesNotContain("sealed").doesNotContain("v1:");
        assertThat(call("GET", "/v1/accounts", null).body()).contains("\"role\":\"operator\"");

        HttpResponse<String> revoked = call("DELETE", "/v1/keys/" + id, null);
        assertThat(json(revoked).get("state").asText()).isEqualTo("revoked");
        assertThat(call("DELETE", "/v1/keys/" + id, null).statusCode()).as("idempotent").isEqualTo(200);
        assertThat(json(call("DELETE", "/v1/keys/PHKZZZZZZZZZZZZZZZZZ", null)).at("/error/code").asText()).isEqualTo("NotFound");

        // Neither the log nor anything else under the data directory holds the secret in clear.
        int holdingTheKey = 0;
        try (Stream<Path> files = java.nio.file.Files.walk(dataDir)) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                // ISO-8859-1 maps each byte to one char, so an ASCII string is found wherever its bytes are.
                String content = new String(java.nio.file.Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(content).as("the secret in clear in " + f).doesNotContain(secret);
                holdingTheKey += content.contains(id) ? 1 : 0;
            }
        }
        assertThat(holdingTheKey).as("files that record the key (the log): the search did read them").isPositive();
    }
}
