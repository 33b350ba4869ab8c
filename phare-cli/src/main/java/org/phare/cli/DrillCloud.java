package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.phare.api.Json;
import org.phare.api.PlanYaml;
import org.phare.api.RosterCsv;
import org.phare.core.continuity.Person;
import org.phare.core.continuity.Plan;
import org.phare.core.drill.DrillCheck;
import org.phare.server.Topology;
import org.phare.sim.DrillSimulation;

/**
 * The cloud a drill is checked against and predicted on: {@code phare demo}'s (its zones and datacenters, hosts of
 * its size, its sample instances, the default plan and the fictional roster), or the live cloud's, read from the
 * native API.
 *
 * @param check  what {@link DrillCheck} checks the drill against (hosts null: not known, as for phare demo's shape,
 *               whose host ids are drawn when its agents first start)
 * @param shape  what the simulator runs
 * @param source how the command line names it ("phare demo's cloud", "the live cloud at URL")
 * @param notes  what could not be taken from the live cloud
 */
record DrillCloud(DrillCheck.Cloud check, DrillSimulation.Shape shape, Plan plan, List<Person> roster, String source,
                  List<String> notes) {
    static final int DEMO_HOSTS = 6;
    static final int DEMO_INSTANCES = 6;
    static final int MAX_HOSTS = 10_000;
    static final int MAX_INSTANCES = 100_000;

    /** The hosts of phare demo's shape, with the ids the simulation gives them (agent-1, agent-2...). */
    DrillCheck.Cloud checkWithHosts() {
        Map<String, String> hosts = new TreeMap<>();
        shape.hosts().forEach(h -> hosts.put(h.id(), h.site()));
        return new DrillCheck.Cloud(check.regions(), check.zones(), hosts, check.plan());
    }

    /**
     * phare demo's cloud with this many agents and sample instances: the agents spread over the zones and their two
     * datacenters as the demo starts them, each of the demo's size; the samples of the demo's type, the demo tenant's.
     */
    static DrillCloud demo(int hostCount, int instanceCount) {
        if (hostCount < 1 || hostCount > MAX_HOSTS) {
            throw new IllegalArgumentException("--hosts must be between 1 and " + MAX_HOSTS + ", got " + hostCount);
        }
        if (instanceCount < 0 || instanceCount > MAX_INSTANCES) {
            throw new IllegalArgumentException("--instances must be between 0 and " + MAX_INSTANCES + ", got " + instanceCount);
        }
        Topology topology = Topology.defaults();
        Map<String, List<String>> zones = new TreeMap<>();
        topology.zones().forEach(z -> zones.put(z.id(), z.sites()));
        List<DrillSimulation.Host> hosts = new ArrayList<>();
        long memMiB = AgentCommand.parseMemoryMiB(DemoCommand.HOST_MEMORY);
        for (int i = 0; i < hostCount; i++) {
            hosts.add(new DrillSimulation.Host("agent-" + (i + 1), DemoCommand.zoneOf(i), DemoCommand.siteOf(i), DemoCommand.HOST_VCPUS, memMiB));
        }
        Topology.TypeSpec type = topology.instanceTypes().stream().filter(t -> t.id().equals(DemoCommand.SAMPLE_TYPE)).findFirst()
                .orElseThrow();
        List<DrillSimulation.Workload> instances = new ArrayList<>();
        for (int i = 0; i < instanceCount; i++) {
            instances.add(new DrillSimulation.Workload("demo", type.id(), type.vcpus(), type.memMiB()));
        }
        Plan plan = PlanYaml.parse(PlanYaml.defaultPlanText());
        List<Person> roster = RosterCsv.parse(DemoCommand.demoRoster(), plan).people();
        DrillCheck.Cloud check = new DrillCheck.Cloud(List.of(topology.region()), zones, null, plan);
        return new DrillCloud(check, new DrillSimulation.Shape(topology.region(), hosts, instances), plan, roster,
                "phare demo's cloud", List.of());
    }

    /**
     * The live cloud: its regions, zones, sites and hosts (the dead ones left out of the simulation), its running
     * instances and their types, its plan (none: people faults are refused) and its roster.
     *
     * @throws ApiClient.Failure when the cloud cannot be read
     */
    static DrillCloud live(ApiClient api, String where) {
        List<String> notes = new ArrayList<>();
        List<String> regions = new ArrayList<>();
        api.get("/v1/regions").forEach(r -> regions.add(r.get("id").asText()));
        Map<String, List<String>> zones = new TreeMap<>();
        api.get("/v1/zones").forEach(z -> zones.put(z.get("id").asText(), new ArrayList<>()));
        api.get("/v1/sites").forEach(s -> zones.computeIfAbsent(s.get("zone").asText(), z -> new ArrayList<>()).add(s.get("id").asText()));
        Map<String, String> hostSites = new TreeMap<>();
        List<DrillSimulation.Host> hosts = new ArrayList<>();
        int dead = 0;
        for (JsonNode h : api.list("/v1/hosts")) {
            hostSites.put(h.get("id").asText(), h.get("site").asText());
            if ("dead".equals(h.get("state").asText())) {
                dead++;
                continue;
            }
            hosts.add(new DrillSimulation.Host(h.get("id").asText(), h.get("zone").asText(), h.get("site").asText(),
                    h.get("vcpus").asInt(), h.get("memMiB").asLong()));
        }
        if (dead > 0) {
            notes.add(dead + " dead host(s) left out of the simulation");
        }
        if (hosts.isEmpty()) {
            throw new ApiClient.Failure("the cloud at " + where + " has no live host to simulate");
        }
        Map<String, long[]> types = new HashMap<>();
        api.get("/v1/instance-types").forEach(t -> types.put(t.get("id").asText(),
                new long[] {t.get("resources").get("vcpus").asLong(), t.get("resources").get("memMiB").asLong()}));
        List<DrillSimulation.Workload> instances = new ArrayList<>();
        for (JsonNode i : api.list("/v1/instances")) {
            long[] size = types.get(i.get("type").asText());
            if ("running".equals(i.path("desired").asText()) && size != null) {
                instances.add(new DrillSimulation.Workload(i.get("tenant").asText(), i.get("type").asText(), (int) size[0], size[1]));
            }
        }
        Plan plan = plan(api);
        if (plan == null) {
            notes.add("the cloud has no continuity plan: people faults cannot be played");
        }
        List<Person> roster = new ArrayList<>();
        if (plan != null) {
            for (JsonNode p : api.get("/v1/staff")) {
                List<String> roles = new ArrayList<>();
                p.get("roles").forEach(r -> roles.add(r.asText()));
                roster.add(new Person(p.get("id").asText(), p.get("name").asText(), roles, p.get("site").asText(),
                        p.get("vpn").asBoolean(), p.get("mfa").asBoolean(), p.path("atRisk").asBoolean(), p.get("status").asText()));
            }
        }
        DrillCheck.Cloud check = new DrillCheck.Cloud(regions, zones, hostSites, plan);
        org.phare.core.placement.PlacementConfig.AdmissionPolicy admission = null;
        try {
            admission = org.phare.core.placement.PlacementConfig.AdmissionPolicy.valueOf(api.get("/v1/placement").path("admission")
                    .asText("host-per-zone").toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (ApiClient.Failure | IllegalArgumentException e) {
            notes.add("the cloud does not say how it admits instances: the default failover reserve is simulated");
        }
        return new DrillCloud(check, new DrillSimulation.Shape(regions.isEmpty() ? "eu-west-2" : regions.getFirst(), hosts, instances,
                admission),
                plan, roster, "the live cloud at " + where, notes);
    }

    private static Plan plan(ApiClient api) {
        JsonNode current;
        try {
            current = api.get("/v1/plan");
        } catch (ApiClient.Failure e) {
            if (e.getMessage().endsWith("(NotFound)")) {
                return null;
            }
            throw e;
        }
        try {
            return Json.mapper().treeToValue(current.get("plan"), Plan.class);
        } catch (IOException e) {
            throw new ApiClient.Failure("unreadable plan: " + e.getMessage());
        }
    }
}
