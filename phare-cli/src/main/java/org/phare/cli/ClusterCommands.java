package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code phare cluster}: the members of the control plane. */
final class ClusterCommands {
    private ClusterCommands() {}

    static final String[] COLUMNS = {"id", "zone", "role", "term", "commitIndex", "lag", "lastContactMs", "http", "raft", "version",
        "maxLogFormat"};

    @Command(name = "cluster", mixinStandardHelpOptions = true,
            description = "The control plane's members: status, add, remove, and the log format they write (upgrade-format).",
            subcommands = {Status.class, Add.class, Remove.class, UpgradeFormat.class})
    static final class Cluster {}

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Members, zone, role, term, commit index, lag behind the leader and the leader's last contact.",
                "Asked of any member, the leader answers (it knows every follower's progress); without a leader the"
                    + " member asked answers with what it knows."},
            footer = {"", "Example:", "  phare cluster status --output json \\",
                "      --server 10.0.1.5:7400,10.0.2.5:7400,10.0.3.5:7400"})
    static class Status extends ClientCommands.ClientCommand {
        @Override
        void run(ApiClient api) {
            JsonNode status = api.get("/v1/cluster");
            print(status);
        }

        void print(JsonNode status) {
            if ("json".equals(connection.output)) {
                Output.json(out(), status);
                return;
            }
            List<JsonNode> rows = new ArrayList<>();
            status.path("members").forEach(rows::add);
            Output.print(out(), connection.output, rows, COLUMNS);
            out().println("leader " + text(status.get("leader")) + ", term " + status.path("term").asText()
                    + ", commit index " + status.path("commitIndex").asText() + ", log from index "
                    + status.path("logStartIndex").asText() + " (snapshot at " + status.path("snapshotIndex").asText() + ")");
            int format = status.path("logFormat").asInt();
            int readable = status.path("logFormatReadableByAll").asInt();
            out().println("log format " + format + (readable > format
                    ? "; every member reads format " + readable + ": raise it with `phare cluster upgrade-format`"
                    : readable < format ? "; some member reads only up to " + readable + ": it cannot replay the log"
                    : " (the latest every member reads)"));
        }

        private static String text(JsonNode n) {
            return n == null || n.isNull() ? "none" : n.asText();
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Adds a member, started beforehand with `phare server --join --node-id ID ...`. It catches up"
                + " from the leader's latest snapshot and log, then votes. Returns once the new membership is committed.",
            footer = {"", "Example:", "  phare cluster add d=10.0.4.5:7500 --server 10.0.1.5:7400"})
    static final class Add extends Status {
        @Parameters(paramLabel = "ID=HOST:PORT", description = "The new member's id and Raft address.")
        String member;

        @Override
        void run(ApiClient api) {
            int eq = member.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("the member is ID=HOST:PORT, got '" + member + "'");
            }
            print(api.post("/v1/cluster/members", Map.of("id", member.substring(0, eq), "address", member.substring(eq + 1))));
        }
    }

    @Command(name = "upgrade-format", mixinStandardHelpOptions = true,
            description = {"Raises the cloud's log format, once every member runs a release that reads it: records of the"
                    + " types the new format introduced may then be written (KRaft's metadata.version). It never goes back down.",
                "Upgrade member by member first (see README, Upgrading a running cloud); `phare cluster status` shows what each"
                    + " member reads. Refused with MembersTooOld, naming them, while one does not read the format."},
            footer = {"", "Examples:", "  phare cluster upgrade-format", "  phare cluster upgrade-format --to 2"})
    static final class UpgradeFormat extends Status {
        @picocli.CommandLine.Option(names = "--to", paramLabel = "N",
                description = "The format to raise to (default: the latest every member reads).")
        Integer to;

        @Override
        void run(ApiClient api) {
            Map<String, Object> body = new java.util.HashMap<>();
            if (to != null) {
                body.put("to", to);
            }
            print(api.post("/v1/cluster/log-format", body));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes a member: the others then count their majority without it. To replace a member"
                + " that is lost for good: remove it, then add its replacement.",
            footer = {"", "Example:", "  phare cluster remove c --server 10.0.1.5:7400"})
    static final class Remove extends Status {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        void run(ApiClient api) {
            print(api.delete("/v1/cluster/members/" + id));
        }
    }
}
