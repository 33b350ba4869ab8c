package org.phare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phare.api.Json;
import org.phare.api.PlanYaml;

/** {@code phare drill validate|predict --server}: the live cloud as the native API gives it, from a stand-in server. */
@DisplayName("phare drill on the live cloud: its zones, sites, hosts, instances, plan and roster")
class DrillLiveCloudTest {
    @TempDir
    Path dir;

    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private static Map<String, Object> host(String id, String zone, String site, String state) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("id", id);
        h.put("state", state);
        h.put("zone", zone);
        h.put("site", site);
        h.put("vcpus", 8);
        h.put("memMiB", 16_384);
        return h;
    }

    /** A cloud of zones eu-west-2a and b, one datacenter each: hosts h-a-1 and h-b-1 ready, h-b-2 dead; 4 instances. */
    private String cloud(boolean withPlan) throws Exception {
        Map<String, Object> answers = new LinkedHashMap<>();
        answers.put("/v1/regions", List.of(Map.of("id", "eu-west-2", "description", "Paris")));
        answers.put("/v1/zones", List.of(Map.of("id", "eu-west-2a", "region", "eu-west-2"), Map.of("id", "eu-west-2b", "region", "eu-west-2")));
        answers.put("/v1/sites", List.of(Map.of("id", "eu-west-2a-dc1", "zone", "eu-west-2a", "description", "x"),
                Map.of("id", "eu-west-2b-dc1", "zone", "eu-west-2b", "description", "y")));
        answers.put("/v1/hosts", Map.of("items", List.of(host("h-a-1", "eu-west-2a", "eu-west-2a-dc1", "ready"),
                host("h-b-1", "eu-west-2b", "eu-west-2b-dc1", "ready"), host("h-b-2", "eu-west-2b", "eu-west-2b-dc1", "dead"))));
        List<Map<String, Object>> instances = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            instances.add(Map.of("id", "i-" + i, "tenant", i < 3 ? "acme" : "demo", "type", "tinav5.c1r1",
                    "desired", i == 4 ? "stopped" : "running"));
        }
        answers.put("/v1/instances", Map.of("items", instances));
        answers.put("/v1/instance-types", List.of(Map.of("id", "tinav5.c1r1", "resources", Map.of("vcpus", 1, "memMiB", 1024), "room", 3)));
        if (withPlan) {
            answers.put("/v1/plan", Map.of("version", 1, "plan", PlanYaml.parse(PlanYaml.defaultPlanText())));
        }
        answers.put("/v1/staff", List.of(Map.of("id", "d01", "name", "Alice", "roles", List.of("operator"), "site", "paris-hq",
                "status", "onsite", "remoteReady", true, "vpn", true, "mfa", true)));
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            asked.add(path);
            Object answer = answers.get(path);
            byte[] body = Json.mapper().writeValueAsBytes(answer != null ? answer
                    : Map.of("error", Map.of("code", "NotFound", "message", "nothing at " + path)));
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(answer != null ? 200 : 404, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        s.start();
        servers.add(s);
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    private Path drill(String name, String steps) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "name: live\nannounced: surprise\nscope: {tenants: [acme]}\n"
                + "objectives: [{outageWithin: 30s}]\ntimeline:\n" + steps, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    @DisplayName("hosts are checked by their live ids; the simulation runs the live hosts (the dead left out) and running"
            + " instances, and watches the tenants in scope")
    void liveHosts() throws Exception {
        String url = cloud(true);
        Path file = drill("live", "  - {at: 0s, crashAgent: {host: h-a-1}, for: 1m}\n  - {at: 0s, absent: 50%}\n");
        Cli ok = Cli.run("drill", "validate", file.toString(), "--server", url);
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("fits the live cloud at " + url);
        assertThat(asked).contains("/v1/hosts", "/v1/sites", "/v1/plan", "/v1/staff");

        Path agent = drill("unknown", "  - {at: 0s, crashAgent: {host: agent-1}, for: 1m}\n");
        Cli unknown = Cli.run("drill", "validate", agent.toString(), "--server", url);
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("timeline[0].crashAgent.host: no host 'agent-1' in the cloud");

        Cli p = Cli.run("drill", "predict", file.toString(), "--server", url, "--seeds", "2");
        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(p.out()).contains("on the live cloud at " + url + " (2 hosts in 2 zones, 4 instances)",
                "1 dead host(s) left out of the simulation");
        assertThat(p.out()).containsPattern("outage of the [0-3] watched instance");
    }

    @Test
    @DisplayName("a live cloud without a plan: the drill's people faults are refused by the check, as the cloud would")
    void noPlan() throws Exception {
        String url = cloud(false);
        Path people = drill("people", "  - {at: 0s, absent: 30%}\n  - {at: 0s, checkLevel: 1, within: 1m}\n");
        Cli r = Cli.run("drill", "validate", people.toString(), "--server", url);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("timeline[0]: a people fault needs the continuity plan");
        assertThat(asked).doesNotContain("/v1/staff");
        Cli down = Cli.run("drill", "validate", people.toString(), "--server", "http://127.0.0.1:1");
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).startsWith("phare: cannot read the live cloud: ");
    }
}
