package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phare.api.Json;
import org.phare.api.SitrepFormat;
import org.phare.core.report.Sitrep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code phare crisis}: the crisis cell's meetings, minutes, decisions, actions and situation report; transport. */
final class CrisisCommands {
    private CrisisCommands() {
    }

    @Command(name = "crisis", mixinStandardHelpOptions = true, description = {
        "The crisis cell: its situation report, meetings, minutes, decisions and actions.",
        "A typical meeting, its agenda generated from live data:",
        "  phare crisis sitrep --format html --out sitrep.html",
        "  phare crisis meeting open",
        "  phare crisis note \"saint-cloud: 4 people at home, all remote-ready\"",
        "  phare crisis decide \"keep level 2 until the prefect's next order\"",
        "  phare crisis action add \"VPN and MFA for p2\" --owner hr --due 17:00",
        "  phare crisis meeting close"},
            subcommands = {SitrepCommand.class, Meeting.class, Note.class, Decide.class, Action.class})
    static final class Crisis {}

    @Command(name = "sitrep", mixinStandardHelpOptions = true, description = "The situation report, generated from live data:"
            + " the level and since when, health by region, zone and site, failovers since the last meeting with their"
            + " detection, re-placement and outage (from the host's last heartbeat) times, capacity against the failover"
            + " reserve, staff coverage and gaps, open actions, last decisions, meetings. HTML is one self-contained page"
            + " that prints well.",
            footer = {"", "Examples:", "  phare crisis sitrep", "  phare crisis sitrep --format html --out sitrep.html"})
    static final class SitrepCommand extends ClientCommands.ClientCommand {
        @Option(names = "--format", defaultValue = "md", description = "md, html or json (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of the terminal.")
        Path file;

        @Override
        void run(ApiClient api) {
            if (!List.of("md", "html", "json").contains(format)) {
                throw new ApiClient.Failure("--format is md, html or json, not '" + format + "'");
            }
            JsonNode json = api.get("/v1/crisis/sitrep");
            String text;
            try {
                text = switch (format) {
                    case "json" -> Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n";
                    case "html" -> SitrepFormat.html(Json.mapper().treeToValue(json, Sitrep.class));
                    default -> SitrepFormat.markdown(Json.mapper().treeToValue(json, Sitrep.class));
                };
            } catch (IOException e) {
                throw new ApiClient.Failure("cannot read the server's report: " + e.getMessage());
            }
            emit(text.getBytes(StandardCharsets.UTF_8), file);
        }
    }

    @Command(name = "meeting", mixinStandardHelpOptions = true, description = "Meetings of the crisis cell: open, close, list.",
            subcommands = {MeetingOpen.class, MeetingClose.class, MeetingList.class})
    static final class Meeting {}

    @Command(name = "open", mixinStandardHelpOptions = true, description = "Opens a meeting (one at a time). Near a time of the"
            + " plan's cadence (within two hours) it holds that slot; otherwise it is an extraordinary meeting.")
    static final class MeetingOpen extends ClientCommands.ClientCommand {
        @Override
        void run(ApiClient api) {
            JsonNode m = api.post("/v1/crisis/meetings", null);
            out().println("meeting " + m.get("id").asInt() + " opened" + (m.get("slot").isNull() ? " (extraordinary)"
                    : " for the " + m.get("slot").asText() + " slot") + "; record with phare crisis note|decide|action add");
        }
    }

    @Command(name = "close", mixinStandardHelpOptions = true, description = "Closes the meeting in progress.")
    static final class MeetingClose extends ClientCommands.ClientCommand {
        @Override
        void run(ApiClient api) {
            JsonNode m = api.post("/v1/crisis/meetings/close", null);
            out().println("meeting " + m.get("id").asInt() + " closed");
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "The last meetings with their minutes and decisions,"
            + " slots of the cadence missed in the last 24 h, and those of the next 24 h.")
    static final class MeetingList extends ClientCommands.ClientCommand {
        @Override
        void run(ApiClient api) {
            JsonNode r = api.get("/v1/crisis/meetings");
            if ("json".equals(connection.output)) {
                Output.json(out(), r);
                return;
            }
            java.time.ZoneId zone = java.time.ZoneId.of(r.get("timezone").asText());
            for (JsonNode entry : r.get("meetings")) {
                JsonNode m = entry.get("meeting");
                out().println("meeting " + m.get("id").asInt() + "  " + Instant.ofEpochMilli(m.get("openedAtMs").asLong()).atZone(zone)
                        .toOffsetDateTime()
                        + (m.get("closedAtMs").asLong() == 0 ? "  (in progress)" : "") + (m.get("slot").isNull() ? "  extraordinary"
                        : "  slot " + m.get("slot").asText()) + "  opened by " + m.get("openedBy").asText());
                for (JsonNode line : entry.get("minutes")) {
                    out().println("    " + (line.get("decision").asBoolean() ? "DECISION " : "- ") + line.get("text").asText()
                            + "  (" + line.get("by").asText() + ")");
                }
            }
            r.get("missed").forEach(s -> out().println("missed: " + s.get("label").asText()));
            List<String> next = new ArrayList<>();
            r.get("next").forEach(s -> next.add(s.get("label").asText()));
            out().println("next: " + (next.isEmpty() ? "no meeting in the cadence at this level" : String.join(", ", next)));
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "Adds a line to the minutes of the meeting in progress.")
    static final class Note extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "TEXT")
        String text;

        @Override
        void run(ApiClient api) {
            minutes(api, this, text, false);
        }
    }

    @Command(name = "decide", mixinStandardHelpOptions = true, description = "Records a decision of the crisis cell, in the"
            + " meeting in progress (or between meetings); the sitrep lists the last ones.")
    static final class Decide extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "TEXT")
        String text;

        @Override
        void run(ApiClient api) {
            minutes(api, this, text, true);
        }
    }

    private static void minutes(ApiClient api, ClientCommands.ClientCommand c, String text, boolean decision) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text);
        body.put("decision", decision);
        JsonNode r = api.post("/v1/crisis/minutes", body);
        int meeting = r.get("meeting").asInt();
        c.out().println((decision ? "decision" : "note") + " recorded " + (meeting == 0 ? "(no meeting in progress)" : "in meeting " + meeting));
    }

    @Command(name = "action", mixinStandardHelpOptions = true, description = "Actions of the crisis cell: give, close, list.",
            subcommands = {ActionAdd.class, ActionDone.class, ActionList.class})
    static final class Action {}

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Gives an action to an owner, due at a time.",
            footer = {"", "Examples:", "  phare crisis action add \"VPN and MFA for p2\" --owner hr --due 17:00",
                "  phare crisis action add \"call the prefecture\" --owner p7 --due +2h"})
    static final class ActionAdd extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "TEXT")
        String text;

        @Option(names = "--owner", required = true, description = "A person of the roster (id) or a role of the plan.")
        String owner;

        @Option(names = "--due", required = true, description = "+4h, +30m, +2d; 17:00 (the next one); 2026-12-01T17:00"
            + " (both in the plan's time zone); or an instant with its offset.")
        String due;

        @Override
        void run(ApiClient api) {
            JsonNode a = api.post("/v1/crisis/actions", Map.of("text", text, "owner", owner, "due", due));
            out().println("action " + a.get("id").asInt() + " given to " + a.get("owner").asText() + ", due " + a.get("due").asText());
        }
    }

    @Command(name = "done", mixinStandardHelpOptions = true, description = "Closes an action, with its outcome.")
    static final class ActionDone extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "ID")
        int id;

        @Option(names = "--outcome", description = "What came of it (kept in the records).")
        String outcome;

        @Override
        void run(ApiClient api) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("outcome", outcome);
            api.post("/v1/crisis/actions/" + id + "/close", body);
            out().println("action " + id + " closed");
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Open actions by due time (--all: closed ones too).")
    static final class ActionList extends ClientCommands.ClientCommand {
        @Option(names = "--all", description = "Closed actions too.")
        boolean all;

        @Override
        void run(ApiClient api) {
            JsonNode r = api.get("/v1/crisis/actions" + (all ? "?all=true" : ""));
            List<JsonNode> rows = new ArrayList<>();
            for (JsonNode a : r) {
                var row = Json.mapper().createObjectNode();
                row.put("id", a.get("id").asInt());
                row.put("due", a.get("due").asText());
                row.put("state", !a.get("open").asBoolean() ? "closed" : a.get("overdue").asBoolean() ? "OVERDUE" : "open");
                row.put("owner", a.get("owner").asText());
                row.put("action", a.get("text").asText());
                rows.add(row);
            }
            Output.print(out(), connection.output, rows, "id", "due", "state", "owner", "action");
        }
    }

    @Command(name = "transport", mixinStandardHelpOptions = true, description = "Public transport in an area of the plan: lost"
            + " (nobody reaches its offices; the plan's transport-loss triggers raise or recommend a level) or back.",
            subcommands = {TransportLost.class, TransportBack.class})
    static final class Transport {}

    @Command(name = "lost", mixinStandardHelpOptions = true, description = "Records a loss of transport in an area.",
            footer = {"", "Example:", "  phare transport lost paris-15 --reason \"RATP strike, no metro until Monday\""})
    static final class TransportLost extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "AREA")
        String area;

        @Option(names = "--reason", required = true, description = "Why (kept in the records).")
        String reason;

        @Override
        void run(ApiClient api) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("area", area);
            body.put("lost", true);
            body.put("reason", reason);
            JsonNode r = api.post("/v1/transport", body);
            out().println("no transport in " + area + ": its offices count as unreachable in coverage");
            LevelCommands.printTriggered(out(), r);
        }
    }

    @Command(name = "restored", mixinStandardHelpOptions = true, description = "Records that transport is back in an area.")
    static final class TransportBack extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "AREA")
        String area;

        @Override
        void run(ApiClient api) {
            api.post("/v1/transport", Map.of("area", area, "lost", false));
            out().println("transport back in " + area + " (the level stays: lowering it is the crisis cell's call)");
        }
    }
}
