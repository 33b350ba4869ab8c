package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The client commands: instances, hosts and the catalogue, over the native API. */
final class ClientCommands {
    private ClientCommands() {}

    /** Options every client command takes. */
    static final class Connection {
        @Option(names = "--server", paramLabel = "URL[,URL...]", description = "Server URL, or every member's separated by commas:"
                + " the leader is found by itself (default: $PHARE_SERVER, the profile's server, or " + ApiClient.DEFAULT_SERVER + ").")
        String server;

        @Option(names = "--profile", description = "Profile of ~/.phare/config (or $PHARE_CONFIG) to sign with (default:"
                + " $PHARE_ACCESS_KEY_ID and $PHARE_SECRET_ACCESS_KEY, else $PHARE_PROFILE, else default).")
        String profile;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
        String output;

        ApiClient client() {
            return ApiClient.fromEnvironment(server, profile);
        }
    }

    abstract static class ClientCommand implements Callable<Integer> {
        @Mixin
        Connection connection;

        @Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() {
            try {
                run(connection.client());
                return 0;
            } catch (ApiClient.Failure e) {
                spec.commandLine().getErr().println("phare: " + e.getMessage());
                return 1;
            }
        }

        abstract void run(ApiClient api);

        /** A report to the terminal, or to {@code file} (then says so), or the failure the command line prints. */
        void emit(byte[] bytes, java.nio.file.Path file) {
            if (file == null) {
                out().print(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
                out().flush();
                return;
            }
            try {
                java.nio.file.Files.write(file, bytes);
            } catch (java.io.IOException e) {
                throw new ApiClient.Failure("cannot write " + file + ": " + e.getMessage());
            }
            out().println("wrote " + file);
        }

        /** A file's text, or the failure the command line prints. */
        static String readText(java.nio.file.Path file) {
            try {
                return java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new ApiClient.Failure("cannot read " + file + ": " + e.getMessage());
            }
        }
    }

    static final String[] INSTANCE_COLUMNS = {"id", "name", "state", "host", "zone", "address", "generation", "type", "pendingReason"};
    static final String[] HOST_COLUMNS = {"id", "state", "scheduling", "zone", "site", "pid", "instances", "usedVcpus", "vcpus"};

    @Command(name = "vm", mixinStandardHelpOptions = true, description = "Instances: run, list, show, stop, start, reboot, rename, remove.",
            subcommands = {VmRun.class, VmLs.class, VmShow.class, VmStop.class, VmStart.class, VmReboot.class, VmRename.class,
                VmRm.class})
    static final class Vm {}

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Starts new instances; each is placed at once or refused with the reason.")
    static final class VmRun extends ClientCommand {
        @Option(names = "--image", required = true, description = "Image (see: phare image ls).")
        String image;
        @Option(names = "--type", required = true, description = "Instance type (see: phare type ls).")
        String type;
        @Option(names = "--zone", description = "Availability zone (default: spread across the region's zones).")
        String zone;
        @Option(names = "--count", defaultValue = "1", description = "How many (default: ${DEFAULT-VALUE}).")
        int count;
        @Option(names = "--priority", description = "Restart priority 0..1000, higher restarts first after a failure (default: 100)."
                + " Only an operator may set it: it orders every tenant's instances.")
        Integer priority;
        @Option(names = "--group", description = "Placement group.")
        String group;
        @Option(names = "--name", description = "Display name (several instances get -1, -2, ...).")
        String name;
        @Option(names = "--client-token", description = "Makes the request idempotent: run again with the same token, it answers"
                + " with the instances the first run created (up to 64 printable ASCII characters).")
        String clientToken;

        @Override
        void run(ApiClient api) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("image", image);
            body.put("type", type);
            body.put("zone", zone);
            body.put("count", count);
            if (priority != null) {
                body.put("priority", priority); // absent: the server's default, which a tenant may use
            }
            body.put("group", group);
            body.put("name", name);
            body.put("clientToken", clientToken);
            List<JsonNode> rows = new ArrayList<>();
            api.post("/v1/instances", body).forEach(rows::add);
            Output.print(out(), connection.output, rows, INSTANCE_COLUMNS);
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists instances.")
    static final class VmLs extends ClientCommand {
        @Override
        void run(ApiClient api) {
            Output.print(out(), connection.output, api.list("/v1/instances"), INSTANCE_COLUMNS);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one instance.")
    static final class VmShow extends ClientCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        void run(ApiClient api) {
            Output.print(out(), connection.output, List.of(api.get("/v1/instances/" + id)), INSTANCE_COLUMNS);
        }
    }

    abstract static class VmAction extends ClientCommand {
        @Parameters(paramLabel = "ID", arity = "1..*")
        List<String> ids;

        abstract JsonNode act(ApiClient api, String id);

        @Override
        void run(ApiClient api) {
            List<JsonNode> rows = new ArrayList<>();
            for (String id : ids) {
                rows.add(act(api, id));
            }
            Output.print(out(), connection.output, rows, INSTANCE_COLUMNS);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops instances; their capacity is freed once their agent confirms.")
    static final class VmStop extends VmAction {
        @Override
        JsonNode act(ApiClient api, String id) {
            return api.post("/v1/instances/" + id + "/stop", Map.of());
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Starts stopped instances (placed again, like new ones).")
    static final class VmStart extends VmAction {
        @Override
        JsonNode act(ApiClient api, String id) {
            return api.post("/v1/instances/" + id + "/start", Map.of());
        }
    }

    @Command(name = "reboot", mixinStandardHelpOptions = true, description = "Restarts running instances in place (same host, same generation).")
    static final class VmReboot extends VmAction {
        @Override
        JsonNode act(ApiClient api, String id) {
            return api.post("/v1/instances/" + id + "/reboot", Map.of());
        }
    }

    @Command(name = "rename", mixinStandardHelpOptions = true,
            description = {"Gives an instance another name; nothing else about it changes.",
                "A record of log format 2: a cloud still at format 1 refuses it (LogFormatTooOld) until every member reads"
                    + " format 2 and an operator raises it with `phare cluster upgrade-format`."},
            footer = {"", "Example:", "  phare vm rename i-0a1b2c3d4e5f60718 web-frontend"})
    static final class VmRename extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1", paramLabel = "NAME", description = "1 to 128 characters.")
        String name;

        @Override
        void run(ApiClient api) {
            Output.print(out(), connection.output, List.of(api.post("/v1/instances/" + id + "/rename", Map.of("name", name))),
                    INSTANCE_COLUMNS);
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Terminates instances.")
    static final class VmRm extends VmAction {
        @Override
        JsonNode act(ApiClient api, String id) {
            return api.delete("/v1/instances/" + id);
        }
    }

    @Command(name = "host", mixinStandardHelpOptions = true, description = "Hosts: list, cordon, uncordon, drain.",
            subcommands = {HostLs.class, HostCordon.class, HostUncordon.class, HostDrain.class})
    static final class Host {}

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists hosts with their health and load.")
    static final class HostLs extends ClientCommand {
        @Override
        void run(ApiClient api) {
            Output.print(out(), connection.output, api.list("/v1/hosts"), HOST_COLUMNS);
        }
    }

    abstract static class HostAction extends ClientCommand {
        @Parameters(paramLabel = "ID")
        String id;

        abstract String action();

        @Override
        void run(ApiClient api) {
            Output.print(out(), connection.output, List.of(api.post("/v1/hosts/" + id + "/" + action(), Map.of())), HOST_COLUMNS);
        }
    }

    @Command(name = "cordon", mixinStandardHelpOptions = true, description = "Places nothing new on the host; what runs stays.")
    static final class HostCordon extends HostAction {
        @Override
        String action() {
            return "cordon";
        }
    }

    @Command(name = "uncordon", mixinStandardHelpOptions = true, description = "Lets the host take new instances again.")
    static final class HostUncordon extends HostAction {
        @Override
        String action() {
            return "uncordon";
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true, description = "Moves every instance away, each once its agent confirms it stopped.")
    static final class HostDrain extends HostAction {
        @Override
        String action() {
            return "drain";
        }
    }

    abstract static class Catalogue extends ClientCommand {
        abstract String path();

        abstract String[] columns();

        @Override
        void run(ApiClient api) {
            List<JsonNode> rows = new ArrayList<>();
            api.get(path()).forEach(rows::add);
            Output.print(out(), connection.output, rows, columns());
        }
    }

    @Command(name = "zone", mixinStandardHelpOptions = true, description = "Availability zones.", subcommands = ZoneLs.class)
    static final class Zone {}

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists zones.")
    static final class ZoneLs extends Catalogue {
        String path() { return "/v1/zones"; }
        String[] columns() { return new String[] {"id", "region"}; }
    }

    @Command(name = "region", mixinStandardHelpOptions = true, description = "Regions.", subcommands = RegionLs.class)
    static final class Region {}

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists regions.")
    static final class RegionLs extends Catalogue {
        String path() { return "/v1/regions"; }
        String[] columns() { return new String[] {"id", "description"}; }
    }

    @Command(name = "type", mixinStandardHelpOptions = true, description = "Instance types.", subcommands = TypeLs.class)
    static final class Type {}

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists instance types, with the room left for each:"
            + " how many more could start now without eating the failover reserve (counted up to 1,000).")
    static final class TypeLs extends Catalogue {
        String path() { return "/v1/instance-types"; }
        String[] columns() { return new String[] {"id", "resources.vcpus", "resources.memMiB", "room"}; }
    }

    @Command(name = "image", mixinStandardHelpOptions = true, description = "Images.", subcommands = ImageLs.class)
    static final class Image {}

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists images.")
    static final class ImageLs extends Catalogue {
        String path() { return "/v1/images"; }
        String[] columns() { return new String[] {"id", "kind", "description"}; }
    }
}
