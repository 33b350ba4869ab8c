package org.phare.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.phare.core.model.Resources;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A load driver for benchmarks: registers stand-in hosts that heartbeat over the agent protocol and"
            + " report every assigned instance as running (no processes), then creates instances with concurrent"
            + " clients and prints the latency of each creation (p50, p99, max) and the sustained rate.",
        footer = {"", "Example:", "  phare load --server http://127.0.0.1:7400 --instances 2000 --concurrency 8"})
final class LoadCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--server", defaultValue = ApiClient.DEFAULT_SERVER, paramLabel = "URL[,URL...]",
            description = "Server URL, or every member's separated by commas (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--instances", defaultValue = "1000", description = "Instances to create (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--concurrency", defaultValue = "8", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--hosts", defaultValue = "30", description = "Stand-in hosts spread over 3 zones, 1024 vCPU each (default: ${DEFAULT-VALUE}).")
    int hosts;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (instances < 1 || instances > 1_000_000 || concurrency < 1 || concurrency > 256 || hosts < 1 || hosts > 10_000) {
            throw new IllegalArgumentException("--instances 1..1000000, --concurrency 1..256, --hosts 1..10000");
        }
        PrintWriter out = spec.commandLine().getOut();
        ApiClient api = ApiClient.fromEnvironment(server, null);
        StandInHosts standIns = new StandInHosts(api, "load", hosts, new Resources(1024, 4L * 1024 * 1024));
        long[] latencies = new long[instances];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            futures.add(clients.submit(() -> {
                for (int i = next.getAndIncrement(); i < instances; i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    try {
                        api.post("/v1/instances", Map.of("image", "http-echo", "type", "tinav5.c1r1"));
                    } catch (ApiClient.Failure e) {
                        failed.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - t0;
                    if ((i + 1) % 1000 == 0) {
                        spec.commandLine().getErr().printf("load: %d/%d created%n", i + 1, instances);
                    }
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        clients.shutdown();
        standIns.close();
        Arrays.sort(latencies);
        out.printf(Locale.ROOT, "created %d instances (%d refused) with %d clients in %.2f s: %.0f/s; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                instances - failed.get(), failed.get(), concurrency, seconds, instances / seconds,
                latencies[instances / 2] / 1e6, latencies[Math.min(instances - 1, (int) (instances * 0.99))] / 1e6,
                latencies[instances - 1] / 1e6);
        return failed.get() == 0 ? 0 : 1;
    }
}
