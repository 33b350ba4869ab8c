package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.phare.api.Json;
import org.phare.api.PlanYaml;
import org.phare.core.continuity.Plan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code phare plan}: the continuity plan — write the default, validate, apply, show, history. */
final class PlanCommands {
    private PlanCommands() {
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, description = "The continuity plan: alert levels with their measures,"
            + " triggers and crisis-cell meetings, the sites, and the critical functions with the people each level needs.",
            subcommands = {Init.class, Validate.class, Apply.class, Show.class, History.class},
            footer = {"", "Start with: phare plan init plan.yaml; edit it; phare plan apply plan.yaml --note \"why\""})
    static final class PlanCommand {}

    @Command(name = "init", mixinStandardHelpOptions = true, description = "Writes the default plan (levels 0 to 4, modelled"
            + " on a hosting provider's pandemic plan), with comments, to FILE.")
    static final class Init implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", defaultValue = "plan.yaml", description = "Where to write it (default: ${DEFAULT-VALUE}).")
        Path file;

        @Option(names = "--force", description = "Replace FILE if it exists.")
        boolean force;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (Files.exists(file) && !force) {
                spec.commandLine().getErr().println("phare: " + file + " exists; use --force to replace it");
                return 1;
            }
            Files.writeString(file, PlanYaml.defaultPlanText(), StandardCharsets.UTF_8);
            spec.commandLine().getOut().println("wrote the default plan to " + file + "; edit it, then: phare plan apply " + file);
            return 0;
        }
    }

    /** Reads and checks a plan file; prints every problem as FILE:LINE:COLUMN: field: message. Null when invalid. */
    static Plan read(Path file, PrintWriter err) throws IOException {
        if (!Files.isRegularFile(file)) {
            err.println("phare: no such file: " + file);
            return null;
        }
        try {
            return PlanYaml.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (PlanYaml.Invalid e) {
            Output.problems(err, file, e.problems());
            err.println("phare: " + e.problems().size() + " problem(s) in " + file + "; nothing applied");
            return null;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Checks a plan file without applying it:"
            + " every problem with its line, column and field.")
    static final class Validate implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Plan plan = read(file, spec.commandLine().getErr());
            if (plan == null) {
                return 1;
            }
            spec.commandLine().getOut().println(file + ": a valid plan of " + plan.levels().size() + " levels, "
                    + plan.functions().size() + " critical functions, " + plan.sites().size() + " sites");
            return 0;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, description = "Applies a plan file as the next version (the"
            + " same plan again changes nothing). Checked here first, then by the server.")
    static final class Apply extends ClientCommands.ClientCommand {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--note", description = "Why this version (kept in the history).")
        String note;

        @Override
        public Integer call() {
            try {
                if (read(file, spec.commandLine().getErr()) == null) {
                    return 1;
                }
            } catch (IOException e) {
                spec.commandLine().getErr().println("phare: cannot read " + file + ": " + e.getMessage());
                return 1;
            }
            return super.call();
        }

        @Override
        void run(ApiClient api) {
            String text = readText(file);
            JsonNode r = api.putText("/v1/plan" + (note == null ? "" : "?note=" + URLEncoder.encode(note, StandardCharsets.UTF_8)),
                    "application/yaml", text);
            if ("json".equals(connection.output)) {
                Output.json(out(), r);
            } else {
                out().println(r.get("changed").asBoolean() ? "plan version " + r.get("version").asInt() + " applied"
                        : "unchanged: this is version " + r.get("version").asInt());
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows the plan in force: its levels and"
            + " functions (-o yaml: the whole plan as a file; -o json: as the API gives it).")
    static final class Show extends ClientCommands.ClientCommand {
        @Override
        void run(ApiClient api) {
            JsonNode current = api.get("/v1/plan");
            Plan plan;
            try {
                plan = Json.mapper().treeToValue(current.get("plan"), Plan.class);
            } catch (IOException e) {
                throw new ApiClient.Failure("unreadable plan: " + e.getMessage());
            }
            switch (connection.output) {
                case "json" -> Output.json(out(), current);
                case "yaml" -> {
                    out().print(PlanYaml.write(plan));
                    out().flush();
                }
                default -> {
                    out().println(plan.name() + " — version " + current.get("version").asInt() + " (meeting times in " + plan.timezone() + ")");
                    out().println();
                    List<JsonNode> levels = new ArrayList<>();
                    for (Plan.Level l : plan.levels()) {
                        levels.add(Json.mapper().valueToTree(Map.of("level", l.level(), "name", l.name(), "remote", l.remote(),
                                "meetings", l.meetings().isEmpty() ? "-" : String.join(" ", l.meetings()),
                                "measures", l.measures().size(), "triggers", l.triggers().stream()
                                        .map(t -> t.on() + (t.threshold() == null ? "" : ">" + t.threshold().intValue() + "%")
                                                + "(" + t.action() + ")").reduce((a, b) -> a + " " + b).orElse("-"))));
                    }
                    Output.print(out(), "table", levels, "level", "name", "remote", "meetings", "measures", "triggers");
                    out().println();
                    List<JsonNode> functions = new ArrayList<>();
                    for (Plan.CriticalFunction f : plan.functions()) {
                        functions.add(Json.mapper().valueToTree(Map.of("function", f.id(), "name", f.name(),
                                "roles", String.join(",", f.roles()), "minimum by level", f.minimum().toString())));
                    }
                    Output.print(out(), "table", functions, "function", "name", "roles", "minimum by level");
                }
            }
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Every version applied: who, when, why.")
    static final class History extends ClientCommands.ClientCommand {
        @Override
        void run(ApiClient api) {
            List<JsonNode> rows = new ArrayList<>();
            for (JsonNode v : api.get("/v1/plan/history")) {
                var row = Json.mapper().createObjectNode();
                row.put("version", v.get("version").asInt());
                row.put("at", Instant.ofEpochMilli(v.get("atMs").asLong()).toString());
                row.put("by", v.get("by").asText());
                row.put("levels", v.get("levels").asInt());
                row.put("functions", v.get("functions").asInt());
                row.put("note", v.path("note").isNull() || v.path("note").isMissingNode() ? "-" : v.get("note").asText());
                rows.add(row);
            }
            Output.print(out(), connection.output, rows, "version", "at", "by", "levels", "functions", "note");
        }
    }
}
