package org.phare.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.phare.api.Json;
import org.phare.server.PhareServer;
import org.phare.server.Topology;
import org.phare.server.store.RatisLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs a control-plane member: its replica of the durable record log (Apache Ratis), the controller"
                + " (placement, failure detection, failover) while it leads, and the APIs: /v1 (native JSON), /agent/v1"
                + " (agents), /metrics, /healthz and /readyz.",
            "Alone it is a whole cloud. With --peers, three or five members (one per zone) elect a leader; the others"
                + " keep a warm replica, answer reads and forward writes to the leader, so that any member serves every"
                + " client (agents excepted: they are sent to the leader). kill -9 loses nothing acknowledged,"
                + " and every new leader grants each host a grace period."
        },
        // Examples are printed as written: each line fits in 80 columns, long commands go on after a backslash.
        footer = {"", "Examples:",
            "  phare server --data-dir /var/lib/phare --listen 127.0.0.1:7400",
            "",
            "  # three members, one per zone: the same --peers on each, with its own",
            "  # --node-id; --bootstrap the first time only",
            "  phare server --node-id a --zone eu-west-2a --data-dir /var/lib/phare \\",
            "      --listen 10.0.1.5:7400 --bootstrap \\",
            "      --peers a=10.0.1.5:7500,b=10.0.2.5:7500,c=10.0.3.5:7500",
            "",
            "  # a new member, then from anywhere: phare cluster add d=10.0.4.5:7500",
            "  phare server --node-id d --join --data-dir /var/lib/phare \\",
            "      --listen 10.0.4.5:7400 --peers d=10.0.4.5:7500"})
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--data-dir", required = true, description = "Where the log and the state live (created if missing).")
    Path dataDir;

    @Option(names = "--listen", defaultValue = "127.0.0.1:7400", description = "HOST:PORT for the APIs (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--raft-port", defaultValue = "0", description = "Alone: loopback port of the Raft log (default: any free port).")
    int raftPort;

    @Option(names = "--node-id", description = "This member's id in the group (letters, digits, '-', '_'); required with --peers.")
    String nodeId;

    @Option(names = "--peers", description = "The group's members as ID=HOST:PORT,... (their Raft addresses), this one included;"
            + " used when the group is formed, afterwards the log knows its members.")
    String peers;

    @Option(names = "--zone", description = "The zone this member runs in, shown by `phare cluster status`.")
    String zone;

    @Option(names = "--join", description = "Start outside any group and wait to be added with `phare cluster add ID=HOST:PORT`.")
    boolean join;

    @Option(names = "--secrets-key", paramLabel = "FILE", description = "The 32-byte master key that seals access-key secrets"
            + " in the log (created if missing). Every member of a group needs the same file. Default: <data-dir>/secrets.key.")
    Path secretsKey;

    @Option(names = "--bootstrap", description = "With --peers: this is the group's first start, format an empty --data-dir."
            + " Without it an empty directory is refused, so that a member that lost its disk never comes back as a"
            + " fresh voter (remove it and add it again instead). Ignored when the directory holds a log.")
    boolean bootstrap;

    @Option(names = "--config", description = "Topology of a new cloud as JSON (region, zones with sites, instance types, images);"
            + " default: eu-west-2 with zones a, b, c.")
    Path config;

    @Option(names = "--admission", defaultValue = "host", description = "Failover reserve: host (absorb the loss of any one host per zone),"
            + " zone (of any one zone) or none (default: ${DEFAULT-VALUE}).")
    String admission;

    @Override
    public Integer call() throws Exception {
        HostPort hp = HostPort.parse(listen, "--listen");
        var policy = SimCommand.parseAdmission(admission);
        Topology topology = config == null ? Topology.defaults() : Json.mapper().readValue(Files.readString(config), Topology.class);
        PhareServer.Options options;
        if (peers == null && nodeId == null && !join) {
            options = PhareServer.Options.single(dataDir, hp.host(), hp.port(), raftPort, topology, policy)
                    .withSecretsKey(secretsKey);
        } else {
            if (nodeId == null || peers == null) {
                throw new IllegalArgumentException("--node-id and --peers go together (--peers must list this member)");
            }
            List<RatisLog.Peer> group = RatisLog.Peer.parseList(peers);
            RatisLog.Peer self = group.stream().filter(p -> p.id().equals(nodeId)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("--peers " + peers + " does not list --node-id " + nodeId));
            if (!join && group.size() % 2 == 0) {
                System.err.println("phare server: warning: " + group.size() + " members tolerate no more failures than "
                        + (group.size() - 1) + "; use 3 or 5");
            }
            options = new PhareServer.Options(dataDir, hp.host(), hp.port(), self, join ? List.of(self) : group, join,
                    bootstrap, zone, topology, policy, RatisLog.Options.defaults(), secretsKey);
        }
        PhareServer server;
        try {
            server = PhareServer.start(options);
        } catch (java.io.IOException e) {
            // A member that cannot serve says why, in one line, and exits: a log it cannot read, a port taken, a key missing.
            System.err.println("phare server: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "phare-server-shutdown"));
        System.err.println("phare server: " + (options.peers().size() > 1 || join ? "member " + options.self().id() + " " : "")
                + "serving on http://" + hp.host() + ":" + server.port() + " (data in " + dataDir + ")");
        stopped.await();
        return 0;
    }

    /** A HOST:PORT pair from the command line. */
    record HostPort(String host, int port) {
        static HostPort parse(String text, String option) {
            int colon = text.lastIndexOf(':');
            try {
                if (colon > 0) {
                    int port = Integer.parseInt(text.substring(colon + 1));
                    if (port >= 0 && port <= 65535) {
                        return new HostPort(text.substring(0, colon), port);
                    }
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new IllegalArgumentException(option + " must look like HOST:PORT (e.g. 127.0.0.1:7400), got '" + text + "'");
        }
    }
}
