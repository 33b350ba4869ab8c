package org.phare.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.phare.core.drill.Outage;

/**
 * Measures what a customer sees, from outside the control plane: every {@link #PERIOD_MS} ms it opens a TCP
 * connection to each watched instance's current address (as the cloud last gave it) and counts the instance down from
 * the first probe that fails (no address, refused, or no answer within the period) to the first that succeeds again.
 * Its clock is its own; the outages it reports are what the report's downtime is made of.
 *
 * <p>The addresses come from a supplier (the cloud's list of instances, refreshed once a second): an instance moved by
 * a failover answers at its new address once the cloud shows it.
 */
public final class Prober implements AutoCloseable {
    public static final long PERIOD_MS = 200;
    /** Most instances watched at once. */
    public static final int MAX_INSTANCES = 10_000;

    private final List<String> watched;
    private final Supplier<Map<String, String>> addresses;
    private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread thread;
    private final AtomicLong count = new AtomicLong();
    private final Map<String, Long> downSince = new HashMap<>();
    private final List<Outage> outages = new ArrayList<>();
    private volatile boolean stop;
    private volatile Map<String, String> current = Map.of();
    private long refreshedAt;

    /**
     * @param watched   instance ids to watch
     * @param addresses each instance's current address ({@code host:port}), by id; an instance left out has none
     */
    public Prober(List<String> watched, Supplier<Map<String, String>> addresses) {
        if (watched.size() > MAX_INSTANCES) {
            throw new IllegalArgumentException("a prober watches at most " + MAX_INSTANCES + " instances");
        }
        this.watched = List.copyOf(watched);
        this.addresses = addresses;
        this.thread = Thread.ofPlatform().name("phare-prober").daemon().unstarted(this::loop);
    }

    public Prober start() {
        thread.start();
        return this;
    }

    private void loop() {
        long next = System.nanoTime();
        while (!stop) {
            if (System.nanoTime() - refreshedAt >= 1_000_000_000L || refreshedAt == 0) {
                try {
                    current = addresses.get();
                } catch (RuntimeException e) {
                    // The cloud cannot say (a leader change): probe the addresses last known.
                }
                refreshedAt = System.nanoTime();
            }
            round();
            next += TimeUnit.MILLISECONDS.toNanos(PERIOD_MS);
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime(); // late: do not try to catch up with a burst
            }
        }
    }

    /** One probe of every watched instance, in parallel; each bounded by the period. */
    private void round() {
        long at = System.currentTimeMillis();
        Map<String, java.util.concurrent.Future<Boolean>> answers = new HashMap<>();
        for (String id : watched) {
            String address = current.get(id);
            answers.put(id, probes.submit(() -> address != null && reachable(address)));
        }
        for (String id : watched) {
            boolean up;
            try {
                up = answers.get(id).get(PERIOD_MS + 100, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                up = false;
            }
            count.incrementAndGet();
            synchronized (this) {
                Long since = downSince.get(id);
                if (!up && since == null) {
                    downSince.put(id, at);
                } else if (up && since != null) {
                    downSince.remove(id);
                    outages.add(new Outage(id, since, at, true));
                }
            }
        }
    }

    private static boolean reachable(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
                    (int) PERIOD_MS);
            return true;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** Probes made so far (one per instance per round). */
    public long probes() {
        return count.get();
    }

    /** Instances down now. */
    public synchronized int downNow() {
        return downSince.size();
    }

    /** Every outage so far; those still going end now, marked as not recovered. */
    public synchronized List<Outage> outages() {
        List<Outage> all = new ArrayList<>(outages);
        long now = System.currentTimeMillis();
        downSince.forEach((id, since) -> all.add(new Outage(id, since, Math.max(since, now), false)));
        return all;
    }

    public List<String> watched() {
        return watched;
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        probes.shutdownNow();
    }
}
