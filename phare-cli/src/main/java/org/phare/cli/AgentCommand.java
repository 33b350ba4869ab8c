package org.phare.cli;

import org.phare.api.Credentials;
import org.phare.api.Endpoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.phare.agent.Agent;
import org.phare.agent.driver.ProcessDriver;
import org.phare.core.agent.Protocol;
import org.phare.core.model.HostId;
import org.phare.core.model.Resources;
import org.phare.core.model.SiteId;
import org.phare.core.model.ZoneId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "agent", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs a host agent: registers this host, heartbeats, and runs the instances the server assigns it.",
            "With the process driver every instance is a supervised OS process that dies with the agent.",
            "An agent that cannot renew its lease for fenceAfter (3 s) kills its instances and says so."
        },
        footer = {"", "Example:",
            "  phare agent --server http://127.0.0.1:7400 \\",
            "      --zone eu-west-2a --site eu-west-2a-dc1 --cpus 8 --memory 16g \\",
            "      --data-dir /var/lib/phare-agent --driver process"})
final class AgentCommand implements Callable<Integer> {

    @Option(names = "--server", required = true, paramLabel = "URL[,URL...]", description = "URL of the server, e.g. http://127.0.0.1:7400,"
            + " or of every control-plane member separated by commas: the agent finds the leader and follows it.")
    String server;

    @Option(names = "--profile", description = "Profile of ~/.phare/config (or $PHARE_CONFIG) with the agent's access key"
            + " (default: $PHARE_ACCESS_KEY_ID and $PHARE_SECRET_ACCESS_KEY, else $PHARE_PROFILE, else default).")
    String profile;

    @Option(names = "--zone", required = true, description = "Availability zone of this host.")
    String zone;

    @Option(names = "--site", required = true, description = "Datacenter of this host (a site of --zone).")
    String site;

    @Option(names = "--cpus", description = "vCPUs offered (default: the machine's, ${DEFAULT-VALUE} if unset).", defaultValue = "0")
    int cpus;

    @Option(names = "--memory", description = "Memory offered, e.g. 16g or 4096m (default: 8g).", defaultValue = "8g")
    String memory;

    @Option(names = "--data-dir", required = true, description = "Where the agent keeps its host id and instance records.")
    Path dataDir;

    @Option(names = "--driver", defaultValue = "process", description = "Instance driver: process (default: ${DEFAULT-VALUE}).")
    String driver;

    @Option(names = "--id", description = "Host id (default: generated once and kept in the data dir).")
    String id;

    @Override
    public Integer call() throws Exception {
        if (!"process".equals(driver)) {
            throw new IllegalArgumentException("--driver must be process (the only driver so far), got '" + driver + "'");
        }
        Endpoints url;
        try {
            url = Endpoints.parse(server);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server: " + e.getMessage());
        }
        Files.createDirectories(dataDir);
        HostId host = new HostId(id != null ? id : hostId(dataDir, zone));
        int vcpus = cpus > 0 ? cpus : Runtime.getRuntime().availableProcessors();
        Resources capacity = new Resources(vcpus, parseMemoryMiB(memory));
        Protocol.Registration registration = new Protocol.Registration(host, new ZoneId(zone), new SiteId(site), capacity,
                Map.of("agent.pid", Long.toString(ProcessHandle.current().pid())));
        ProcessDriver processes = ProcessDriver.builder(dataDir, host).build();
        Credentials.Profile creds = Credentials.resolve(profile, System.getenv());
        if (creds.credentials() == null) {
            throw new IllegalArgumentException("the agent needs an access key of an agent account: set PHARE_ACCESS_KEY_ID and"
                    + " PHARE_SECRET_ACCESS_KEY, or give --profile (create one with: phare account create NAME --role agent;"
                    + " phare key create --account NAME)");
        }
        Agent agent = new Agent(url, creds.credentials(), registration, processes);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "phare-agent-shutdown"));
        agent.start();
        System.err.println("phare agent: host " + host + " in " + zone + "/" + site + " (" + capacity + ") reporting to " + server);
        stopped.await();
        return 0;
    }

    /** A host id generated on first start and kept, so that a restarted agent is the same host. */
    private static String hostId(Path dataDir, String zone) throws java.io.IOException {
        Path file = dataDir.resolve("host-id");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        byte[] random = new byte[3];
        new java.security.SecureRandom().nextBytes(random);
        String generated = "h-" + zone.substring(zone.length() - 1) + "-" + HexFormat.of().formatHex(random);
        Files.writeString(file, generated + "\n", StandardCharsets.UTF_8);
        return generated;
    }

    static long parseMemoryMiB(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("g")) {
                return Long.parseLong(t.substring(0, t.length() - 1)) * 1024;
            }
            if (t.endsWith("m")) {
                return Long.parseLong(t.substring(0, t.length() - 1));
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--memory must look like 16g, 4096m or 4096 (MiB), got '" + text + "'");
        }
    }
}
