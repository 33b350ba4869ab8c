package org.phare.sim;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.phare.core.model.HostId;

/**
 * The network between agents and the controller: latency (a base plus an exponential tail, capped),
 * random loss, and partitions (a host cut off, or the controller cut off from everyone). A message that
 * a partition or loss drops simply never arrives, as on a real network.
 */
public final class SimNetwork {
    private final EventLoop loop;
    private final SplittableRandom random;
    private final long baseLatencyNanos;
    private final long meanJitterNanos;
    private final long maxLatencyNanos;
    private final double lossRate;
    private final Set<HostId> cutOff = new HashSet<>();
    private final Set<HostId> everCut = new HashSet<>();
    private boolean controllerEverCut;
    private boolean controllerCutOff;
    private long sent;
    private long dropped;

    public SimNetwork(EventLoop loop, SplittableRandom random, long baseLatencyNanos, long meanJitterNanos,
                      long maxLatencyNanos, double lossRate) {
        this.loop = loop;
        this.random = random;
        this.baseLatencyNanos = baseLatencyNanos;
        this.meanJitterNanos = meanJitterNanos;
        this.maxLatencyNanos = maxLatencyNanos;
        this.lossRate = lossRate;
    }

    /** Sends between {@code host}'s agent and the controller (either direction); delivery is checked on arrival too. */
    public void send(HostId host, Runnable delivery) {
        sent++;
        if (!connected(host) || random.nextDouble() < lossRate) {
            dropped++;
            return;
        }
        long jitter = (long) (-Math.log(1 - random.nextDouble()) * meanJitterNanos);
        long latency = Math.min(maxLatencyNanos, baseLatencyNanos + jitter);
        loop.after(latency, () -> {
            // A partition that began while the message was in flight drops it too.
            if (connected(host)) {
                delivery.run();
            } else {
                dropped++;
            }
        });
    }

    public boolean connected(HostId host) {
        return !controllerCutOff && !cutOff.contains(host);
    }

    public void cut(HostId host) {
        cutOff.add(host);
        everCut.add(host);
    }

    /** Whether the host, or the controller, was ever cut off: a fence of that host is then expected. */
    public boolean everCut(HostId host) {
        return controllerEverCut || everCut.contains(host);
    }

    public void heal(HostId host) {
        cutOff.remove(host);
    }

    public void cutController(boolean cut) {
        controllerCutOff = cut;
        controllerEverCut |= cut;
    }

    public void healAll() {
        cutOff.clear();
        controllerCutOff = false;
    }

    public Set<HostId> cutOffHosts() {
        return Set.copyOf(cutOff);
    }

    public long sent() {
        return sent;
    }

    public long dropped() {
        return dropped;
    }
}
