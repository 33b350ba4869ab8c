package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.phare.api.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phare level}: the alert level of the continuity plan. */
final class LevelCommands {
    private LevelCommands() {
    }

    @Command(name = "level", mixinStandardHelpOptions = true, description = "The alert level: show it, change it.",
            subcommands = {Show.class, Set.class})
    static final class Level {}

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The level in force, since when, by whom, why, what the"
            + " change to it implies (the people it sends home or lets come back: named to HR, counted for everyone else),"
            + " and the history.")
    static final class Show extends ClientCommands.ClientCommand {
        @Override
        void run(ApiClient api) {
            JsonNode r = api.get("/v1/level");
            if ("json".equals(connection.output)) {
                Output.json(out(), r);
                return;
            }
            out().println("level " + r.get("level").asInt() + (r.get("sinceMs").isNull() ? " (never changed)"
                    : " since " + Instant.ofEpochMilli(r.get("sinceMs").asLong()) + ", set by " + r.get("by").asText()
                    + ": " + r.get("reason").asText()));
            JsonNode actions = r.get("actions");
            if (actions != null && !actions.isNull()) {
                actions(out(), actions);
            }
            List<JsonNode> rows = new ArrayList<>();
            for (JsonNode h : r.get("history")) {
                var row = Json.mapper().createObjectNode();
                row.put("at", Instant.ofEpochMilli(h.get("atMs").asLong()).toString());
                row.put("change", h.get("from").asInt() + " -> " + h.get("to").asInt());
                row.put("by", h.get("by").asText());
                row.put("trigger", h.get("trigger").asText());
                row.put("reason", h.get("reason").asText());
                rows.add(row);
            }
            if (!rows.isEmpty()) {
                out().println();
                Output.print(out(), "table", rows, "at", "change", "by", "trigger", "reason");
            }
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Changes the alert level and prints what it implies:"
            + " measures to activate and lift, how many people must switch to remote, how many cannot (not remote-ready),"
            + " how many may come back (who they are may be health data: HR reads the names with phare level show), the"
            + " crisis cell's next meetings. Recorded with who, when and why.",
            footer = {"", "Example:", "  phare level set 1 --reason \"first cases in the Paris region\""})
    static final class Set extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "LEVEL")
        int level;

        @Option(names = "--reason", required = true, description = "Why (kept in the history).")
        String reason;

        @Override
        void run(ApiClient api) {
            JsonNode r = api.post("/v1/level", Map.of("level", level, "reason", reason));
            if ("json".equals(connection.output)) {
                Output.json(out(), r);
                return;
            }
            if (r.has("changed")) {
                out().println("the level is already " + level + "; nothing changed");
                return;
            }
            out().println("level " + r.get("from").asInt() + " -> " + r.get("to").asInt() + ", recorded (by " + r.get("by").asText() + ")");
            actions(out(), r.get("actions"));
        }
    }

    /**
     * What a level change implies. The people are counted for every role; the server names them to HR only, as at
     * a level that sends the at-risk home the names would say who is at risk.
     */
    static void actions(PrintWriter o, JsonNode a) {
        section(o, "measures to activate", a.get("activate"), m -> m.get("text").asText() + "  [" + m.get("category").asText()
                + ", owner: " + m.get("owner").asText() + "]");
        section(o, "measures lifted", a.get("lift"), m -> m.get("text").asText());
        people(o, "must switch to remote work", a, "toRemote");
        people(o, "must work remotely but cannot (no VPN or no MFA): a gap to fix", a, "cannotRemote");
        people(o, "may come back on site", a, "mayReturn");
        section(o, "crisis cell meetings to schedule", a.get("meetings"), JsonNode::asText);
    }

    private static void people(PrintWriter o, String title, JsonNode a, String key) {
        JsonNode named = a.get(key);
        JsonNode counts = a.get("counts");
        int n = counts != null && counts.has(key) ? counts.get(key).asInt() : named == null ? 0 : named.size();
        o.println();
        o.println("  " + title + ": " + (n == 0 ? "none" : n + (named == null ? " (named to HR only)" : "")));
        if (named != null) {
            named.forEach(p -> o.println("    - " + person(p)));
        }
    }

    @Command(name = "site", mixinStandardHelpOptions = true, description = "Sites of the continuity plan: close one by order, reopen it.",
            subcommands = {Close.class, Reopen.class})
    static final class Site {}

    @Command(name = "close", mixinStandardHelpOptions = true, description = "Records an order closing a site, or every site of an"
            + " area: its people must work remotely, and the plan's closure-order triggers raise or recommend a level.",
            footer = {"", "Example:", "  phare site close saint-cloud \\",
                "      --order \"prefect's order 2026-113: area closed from 18:00\""})
    static final class Close extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "SITE|AREA")
        String site;

        @Option(names = "--order", required = true, description = "The order's text (kept in the records).")
        String order;

        @Override
        void run(ApiClient api) {
            JsonNode r = api.post("/v1/plan/closures", Map.of("site", site, "order", order));
            if ("json".equals(connection.output)) {
                Output.json(out(), r);
                return;
            }
            List<String> closed = new ArrayList<>();
            r.get("closed").forEach(x -> closed.add(x.asText()));
            out().println("closed: " + String.join(", ", closed));
            printTriggered(out(), r);
        }
    }

    @Command(name = "reopen", mixinStandardHelpOptions = true, description = "Lifts the closure of a site, or of every site of"
            + " an area: its people may come back (the level stays: lowering it is the crisis cell's call).")
    static final class Reopen extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "SITE|AREA")
        String site;

        @Override
        void run(ApiClient api) {
            JsonNode r = api.post("/v1/plan/reopenings", Map.of("site", site));
            List<String> opened = new ArrayList<>();
            r.get("reopened").forEach(x -> opened.add(x.asText()));
            out().println(opened.isEmpty() ? "nothing to reopen: no site of " + site + " is closed" : "reopened: " + String.join(", ", opened));
        }
    }

    /** What the plan's triggers made of an event: a level raised, a level recommended, or nothing. */
    static void printTriggered(PrintWriter out, JsonNode r) {
        if (!r.get("levelChange").isNull()) {
            JsonNode c = r.get("levelChange");
            out.println("the plan raised the level " + c.get("from").asInt() + " -> " + c.get("to").asInt()
                    + " (what it implies: phare level show)");
        } else if (!r.get("recommendation").isNull()) {
            out.println("the plan recommends level " + r.get("recommendation").get("level").asInt()
                    + " to the crisis cell (phare level set N --reason ... to follow it)");
        } else {
            out.println("the plan changes no level for it");
        }
    }

    private static String person(JsonNode p) {
        List<String> functions = new ArrayList<>();
        p.get("functions").forEach(f -> functions.add(f.asText()));
        return p.get("id").asText() + " " + p.get("name").asText() + (functions.isEmpty() ? "" : "  (" + String.join(", ", functions) + ")");
    }

    private static void section(PrintWriter o, String title, JsonNode items, java.util.function.Function<JsonNode, String> line) {
        o.println();
        o.println("  " + title + ": " + (items.isEmpty() ? "none" : items.size()));
        items.forEach(i -> o.println("    - " + line.apply(i)));
    }
}
