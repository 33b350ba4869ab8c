package org.phare.cli.e2e;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every 100 ms, the operating system's processes ({@link LocalCloud#echoProcesses()}, by their command lines, whoever
 * their parent is): any moment at which one instance has two live copies — whatever their generations and hosts — is
 * a violation, recorded with what was seen. It also remembers when each host's copies were last seen alive, so a test
 * can tell when a host's copies were gone.
 */
final class CopyWatch implements AutoCloseable {
    static final long PERIOD_MS = 100;

    private final LocalCloud cloud;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "copy-watch");
        t.setDaemon(true);
        return t;
    });
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> lastSeenOnHost = new ConcurrentHashMap<>();
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong longestRoundNanos = new AtomicLong();
    private volatile List<LocalCloud.EchoProcess> last = List.of();

    private CopyWatch(LocalCloud cloud) {
        this.cloud = cloud;
    }

    /** A watch that runs from now until {@link #close()}. */
    static CopyWatch start(LocalCloud cloud) {
        CopyWatch w = new CopyWatch(cloud);
        w.timer.scheduleAtFixedRate(w::check, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
        return w;
    }

    private void check() {
        try {
            long startedAt = System.nanoTime();
            List<LocalCloud.EchoProcess> now = cloud.echoProcesses();
            long at = System.nanoTime();
            longestRoundNanos.accumulateAndGet(at - startedAt, Math::max);
            Map<String, List<LocalCloud.EchoProcess>> perInstance = new HashMap<>();
            for (LocalCloud.EchoProcess p : now) {
                perInstance.computeIfAbsent(p.instance(), k -> new ArrayList<>()).add(p);
                lastSeenOnHost.put(p.host(), at);
            }
            perInstance.forEach((id, ps) -> {
                seen.add(id);
                if (ps.size() > 1) {
                    violations.add(Instant.now() + " " + id + " has " + ps.size() + " live copies: " + ps);
                }
            });
            last = now;
            rounds.incrementAndGet();
        } catch (RuntimeException e) {
            violations.add("the watch failed: " + e);
        }
    }

    /** Moments at which an instance had two live copies (or the watch failed). */
    List<String> violations() {
        return List.copyOf(violations);
    }

    /** Instances seen alive at least once. */
    Set<String> seen() {
        return Set.copyOf(seen);
    }

    long rounds() {
        return rounds.get();
    }

    /** The live copies at the last round. */
    List<LocalCloud.EchoProcess> last() {
        return last;
    }

    /** When a copy on {@code host} was last seen alive ({@link System#nanoTime()}), or -1. */
    long lastSeenOn(String host) {
        return lastSeenOnHost.getOrDefault(host, -1L);
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "the copy watch: " + rounds.get() + " rounds (the longest took " + longestRoundNanos.get() / 1_000_000
                + " ms), " + seen.size() + " instances seen, " + violations.size() + " moments with two copies";
    }
}
