package org.phare.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.phare.api.Json;
import org.phare.server.PhareServer;
import org.phare.server.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs a control-plane node: the durable record log (Apache Ratis, one member), the controller",
            "(placement, failure detection, failover) and the APIs: /v1 (native JSON), /agent/v1 (agents),",
            "/healthz and /readyz. Its state is rebuilt from the log on start; kill -9 loses nothing acknowledged,",
            "and every host gets a grace period to reconnect before it can be judged."
        },
        footer = {"", "Example:", "  phare server --data-dir /var/lib/phare --listen 127.0.0.1:7400"})
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--data-dir", required = true, description = "Where the log and the state live (created if missing).")
    Path dataDir;

    @Option(names = "--listen", defaultValue = "127.0.0.1:7400", description = "HOST:PORT for the APIs (default: ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--raft-port", defaultValue = "0", description = "Loopback port of the Raft log (default: any free port).")
    int raftPort;

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
        PhareServer server = PhareServer.start(dataDir, hp.host(), hp.port(), raftPort, topology, policy);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "phare-server-shutdown"));
        System.err.println("phare server: ready on http://" + hp.host() + ":" + server.port() + " (data in " + dataDir + ")");
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
