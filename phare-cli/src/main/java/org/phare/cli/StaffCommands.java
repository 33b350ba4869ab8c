package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.phare.api.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phare staff} (the roster) and {@code phare coverage} (what the critical functions have). */
final class StaffCommands {
    private StaffCommands() {
    }

    @Command(name = "staff", mixinStandardHelpOptions = true, description = "The roster: import it, list it, set a person's status.",
            subcommands = {Import.class, Ls.class, Set.class})
    static final class Staff {}

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Imports the roster from a CSV file with the header"
            + " id,name,roles,site,vpn,mfa,at_risk (roles separated by ';'; vpn, mfa, at_risk: yes or no; the at-risk flag"
            + " is health data, given with consent). It replaces the roster; people already known keep their status."
            + " Lines that cannot be taken are reported with their number and the reason.")
    static final class Import extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        void run(ApiClient api) {
            String text = readText(file);
            JsonNode r = api.putOrPostText("POST", "/v1/staff", "text/csv", text);
            if ("json".equals(connection.output)) {
                Output.json(out(), r);
                return;
            }
            out().println("imported " + r.get("imported").asInt() + " people; " + r.get("rejected").size() + " line(s) rejected");
            for (JsonNode x : r.get("rejected")) {
                out().println("  " + file + ":" + x.get("line").asLong() + ": " + x.get("reason").asText());
            }
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists the roster: roles, site, status, remote"
            + " readiness; for HR, the at-risk flag and from which level the plan wants each person to work remotely"
            + " (which tells the flag: HR only).")
    static final class Ls extends ClientCommands.ClientCommand {
        @Override
        void run(ApiClient api) {
            List<JsonNode> rows = new ArrayList<>();
            boolean hr = false;
            for (JsonNode p : api.get("/v1/staff")) {
                var row = Json.mapper().createObjectNode();
                row.put("id", p.get("id").asText());
                row.put("name", p.get("name").asText());
                row.put("roles", String.join(",", Json.mapper().convertValue(p.get("roles"), String[].class)));
                row.put("site", p.get("site").asText());
                row.put("status", p.get("status").asText());
                row.put("remoteReady", p.get("remoteReady").asBoolean() ? "yes" : "no");
                if (p.has("atRisk")) {
                    hr = true;
                    row.put("remoteFromLevel", p.path("remoteFromLevel").isNumber() ? p.get("remoteFromLevel").asText() : "-");
                    row.put("atRisk", p.get("atRisk").asBoolean() ? "yes" : "no");
                }
                rows.add(row);
            }
            if (hr) {
                Output.print(out(), connection.output, rows, "id", "name", "roles", "site", "status", "remoteReady", "remoteFromLevel", "atRisk");
            } else {
                Output.print(out(), connection.output, rows, "id", "name", "roles", "site", "status", "remoteReady");
            }
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Sets a person's status.")
    static final class Set extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--status", required = true, description = "onsite, remote, absent or quarantined.")
        String status;

        @Override
        void run(ApiClient api) {
            JsonNode p = api.post("/v1/staff/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/status", Map.of("status", status));
            out().println(p.get("id").asText() + " (" + p.get("name").asText() + ") is now " + p.get("status").asText());
        }
    }

    @Command(name = "coverage", mixinStandardHelpOptions = true, description = "Coverage of the plan's critical functions: required"
            + " vs available vs remote-ready people, the gap, and single points of failure; at a level, and under a"
            + " hypothesis (people absent, sites closed, no transport) to ask \"what if\".",
            // Picocli formats these texts with String.format: a literal percent sign is written %%.
            footer = {"", "Examples:", "  phare coverage --level 1", "  phare coverage --level 2 --absent 30%% --seed 7",
                "  phare coverage --close-site saint-cloud --no-transport"})
    static final class Coverage extends ClientCommands.ClientCommand {
        @Option(names = "--level", description = "The alert level (default: the level in force).")
        Integer level;

        @Option(names = "--absent", description = "A share of the people made absent, e.g. 30%%, drawn with --seed.")
        String absent;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of the absence draw (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--close-site", paramLabel = "SITE|AREA", description = "A site (or every site of an area) closed; repeatable.")
        List<String> closeSites = new ArrayList<>();

        @Option(names = "--no-transport", description = "No public transport: nobody reaches an office.")
        boolean noTransport;

        @Override
        void run(ApiClient api) {
            StringBuilder q = new StringBuilder("/v1/coverage?seed=" + seed + (level == null ? "" : "&level=" + level));
            if (absent != null) {
                q.append("&absent=").append(URLEncoder.encode(absent, StandardCharsets.UTF_8));
            }
            for (String s : closeSites) {
                q.append("&closeSite=").append(URLEncoder.encode(s, StandardCharsets.UTF_8));
            }
            if (noTransport) {
                q.append("&noTransport=true");
            }
            JsonNode r = api.get(q.toString());
            if ("json".equals(connection.output)) {
                Output.json(out(), r);
                return;
            }
            List<JsonNode> rows = new ArrayList<>();
            for (JsonNode f : r.get("functions")) {
                var row = Json.mapper().createObjectNode();
                row.put("function", f.get("id").asText());
                row.put("required", f.get("required").asInt());
                row.put("available", f.get("available").asInt());
                row.put("remoteReady", f.get("remoteReady").asInt());
                row.put("qualified", f.get("qualified").asInt());
                row.put("gap", f.get("gap").asInt() == 0 ? "-" : Integer.toString(f.get("gap").asInt()));
                row.put("singlePoint", f.get("singlePoint").asBoolean() ? "YES" : "-");
                rows.add(row);
            }
            out().println("level " + r.get("level").asInt() + ": " + r.get("people").asInt() + " people, " + r.get("absent").asInt()
                    + " absent, " + r.get("mustBeRemote").asInt() + " must work remotely (" + r.get("cannotBeRemote").asInt()
                    + " of them not remote-ready: no VPN or no MFA)");
            Output.print(out(), "table", rows, "function", "required", "available", "remoteReady", "qualified", "gap", "singlePoint");
            int gaps = 0;
            for (JsonNode f : r.get("functions")) {
                gaps += f.get("gap").asInt() > 0 ? 1 : 0;
            }
            out().println(gaps == 0 ? "every critical function is covered" : gaps + " critical function(s) short of people");
        }
    }
}
