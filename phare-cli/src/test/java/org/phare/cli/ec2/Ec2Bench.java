package org.phare.cli.ec2;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.phare.api.Credentials;
import org.phare.core.model.Resources;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;

/**
 * The EC2 API under load, as tenants' SDKs see it (latency measured around each AWS SDK v2 call, signing and XML
 * parsing included): a server in this JVM with stand-in hosts, {@code tenants} tenants who fill the cloud with
 * RunInstances of one instance each from {@code clients} concurrent clients (the sustained creation rate), then
 * DescribeInstances of all of a tenant's instances, of one instance by id, and an operator's paged listing of
 * every instance; last, runs of two instances (all or nothing: decided on a scratch copy of the state).
 *
 * <p>{@code scripts/bench-java-main.sh ec2.Ec2Bench [instances] [tenants] [clients] [describes]} (defaults
 * 10000 100 8 3000).
 */
public final class Ec2Bench {
    public static void main(String[] args) throws Exception {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int tenants = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int describes = args.length > 3 ? Integer.parseInt(args[3]) : 3_000;
        Path dir = Files.createTempDirectory("phare-ec2-bench");
        try (Ec2Cloud cloud = new Ec2Cloud(dir, 30, new Resources(1024, 4L * 1024 * 1024))) {
            List<Ec2Client> sdk = new ArrayList<>();
            List<Credentials> keys = new ArrayList<>();
            for (int t = 0; t < tenants; t++) {
                Credentials c = cloud.account("tenant-" + t, "tenant");
                keys.add(c);
                sdk.add(cloud.ec2(c));
            }
            Ec2Client operator = cloud.ec2(cloud.operator);
            warmUp(sdk.get(0));

            // 1. RunInstances, one instance each, round-robin over the tenants.
            long[] run = new long[instances];
            AtomicInteger next = new AtomicInteger();
            long t0 = System.nanoTime();
            parallel(clients, () -> {
                for (int i = next.getAndIncrement(); i < instances; i = next.getAndIncrement()) {
                    Ec2Client c = sdk.get(i % tenants);
                    long s = System.nanoTime();
                    c.runInstances(r -> r.imageId("http-echo").instanceType("tinav5.c1r1").minCount(1).maxCount(1)
                            .tagSpecifications(ts -> ts.resourceType("instance").tags(tg -> tg.key("bench").value("yes"))));
                    run[i] = System.nanoTime() - s;
                }
            });
            double runSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("RunInstances (1 instance, 1 tag): %d in %.1f s = %.0f/s with %d clients; %s%n", instances,
                    runSeconds, instances / runSeconds, clients, percentiles(run));

            // 2. DescribeInstances: all of a tenant's instances (instances/tenants each), then one by id.
            long[] mine = describe(clients, describes, () -> {
                DescribeInstancesResponse r = sdk.get(ThreadLocalRandom.current().nextInt(tenants)).describeInstances();
                check(r.reservations().stream().mapToInt(x -> x.instances().size()).sum() == instances / tenants, "a tenant's count");
            });
            System.out.printf("DescribeInstances, a tenant's %d instances: %s%n", instances / tenants, percentiles(mine));
            // The same over plain HTTP (signed, XML not parsed): what the server costs without the SDK's unmarshalling.
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.URI endpoint = java.net.URI.create(cloud.url + "/");
            byte[] body = "Action=DescribeInstances&Version=2016-11-15".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            long[] raw = describe(clients, describes, () -> {
                Credentials c = keys.get(ThreadLocalRandom.current().nextInt(tenants));
                var b = java.net.http.HttpRequest.newBuilder(endpoint).header("Content-Type", "application/x-www-form-urlencoded");
                c.sign(b, "POST", endpoint, body, java.time.Instant.now(), "eu-west-2", "ec2");
                try {
                    var r = http.send(b.POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    check(r.statusCode() == 200, "HTTP 200");
                } catch (java.io.IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            System.out.printf("DescribeInstances, a tenant's %d instances, plain signed HTTP: %s%n", instances / tenants, percentiles(raw));
            List<String> someIds = sdk.get(0).describeInstances().reservations().stream()
                    .flatMap(r -> r.instances().stream()).map(i -> i.instanceId()).toList();
            long[] byId = describe(clients, describes, () -> {
                String id = someIds.get(ThreadLocalRandom.current().nextInt(someIds.size()));
                check(sdk.get(0).describeInstances(r -> r.instanceIds(id)).reservations().size() == 1, "one instance");
            });
            System.out.printf("DescribeInstances, one instance by id: %s%n", percentiles(byId));
            long[] filtered = describe(clients, describes, () -> {
                Ec2Client c = sdk.get(ThreadLocalRandom.current().nextInt(tenants));
                c.describeInstances(r -> r.filters(f -> f.name("tag:bench").values("yes"), f -> f.name("instance-state-name").values("running")));
            });
            System.out.printf("DescribeInstances, a tenant's, filtered by tag and state: %s%n", percentiles(filtered));

            // 3. The operator pages through everything, 1000 per page.
            long[] pages = new long[20];
            for (int k = 0; k < pages.length; k++) {
                long s = System.nanoTime();
                long n = operator.describeInstancesPaginator(r -> r.maxResults(1000)).reservations().stream()
                        .mapToLong(r -> r.instances().size()).sum();
                pages[k] = System.nanoTime() - s;
                check(n == instances, "every instance");
            }
            System.out.printf("DescribeInstances, operator, all %d instances in pages of 1000: %s (whole listing)%n",
                    instances, percentiles(pages));
            // 4. Runs of two instances: all or nothing, decided on a scratch copy of the whole state.
            long[] pairs = new long[300];
            AtomicInteger nextPair = new AtomicInteger();
            parallel(clients, () -> {
                for (int i = nextPair.getAndIncrement(); i < pairs.length; i = nextPair.getAndIncrement()) {
                    Ec2Client c = sdk.get(i % tenants);
                    long s = System.nanoTime();
                    c.runInstances(r -> r.imageId("http-echo").instanceType("tinav5.c1r1").minCount(2).maxCount(2));
                    pairs[i] = System.nanoTime() - s;
                }
            });
            System.out.printf("RunInstances (2 instances, all or nothing) with %d instances in the cloud: %s%n", instances,
                    percentiles(pairs));
            sdk.forEach(Ec2Client::close);
            operator.close();
        }
    }

    private static void warmUp(Ec2Client c) throws Exception {
        for (int i = 0; i < 300; i++) {
            c.describeAvailabilityZones();
            c.describeInstances();
        }
    }

    private static long[] describe(int clients, int count, Runnable call) throws Exception {
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        parallel(clients, () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                long s = System.nanoTime();
                call.run();
                latencies[i] = System.nanoTime() - s;
            }
        });
        return latencies;
    }

    private static void parallel(int threads, Runnable work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(work));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("unexpected answer: " + what);
        }
    }

    private static String percentiles(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d calls)", s[s.length / 2] / 1e6,
                s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] / 1e6, s[s.length - 1] / 1e6, s.length);
    }
}
