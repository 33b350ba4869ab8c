package org.phare.sim;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.phare.core.model.HostId;

/**
 * The network between agents and the controller: latency (a base plus an exponential tail, capped),
 * random loss, and partitions (a host cut off, or the controller cut off from everyone), also one way (what a host
 * sends is lost and what it is sent arrives, or the reverse). A message that a partition or loss drops simply never
 * arrives, as on a real network.
 */
public final class SimNetwork {
    private final EventLoop loop;
    private final SplittableRandom random;
    private final long baseLatencyNanos;
    private final long meanJitterNanos;
    private final long maxLatencyNanos;
    private final double lossRate;
    private final Set<HostId> cutOff = new HashSet<>();
    /** Hosts whose messages to the controller are lost (the other way works). */
    private final Set<HostId> requestsLost = new HashSet<>();
    /** Hosts to which the controller's messages are lost (the other way works). */
    private final Set<HostId> repliesLost = new HashSet<>();
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

    /** Sends from {@code host}'s agent to the controller; delivery is checked on arrival too. */
    public void toController(HostId host, Runnable delivery) {
        send(host, true, delivery);
    }

    /** Sends from the controller to {@code host}'s agent; delivery is checked on arrival too. */
    public void toAgent(HostId host, Runnable delivery) {
        send(host, false, delivery);
    }

    private void send(HostId host, boolean toController, Runnable delivery) {
        sent++;
        if (!connected(host, toController) || random.nextDouble() < lossRate) {
            dropped++;
            return;
        }
        long jitter = (long) (-Math.log(1 - random.nextDouble()) * meanJitterNanos);
        long latency = Math.min(maxLatencyNanos, baseLatencyNanos + jitter);
        loop.after(latency, () -> {
            // A partition that began while the message was in flight drops it too.
            if (connected(host, toController)) {
                delivery.run();
            } else {
                dropped++;
            }
        });
    }

    /** Whether messages go both ways between the host and the controller. */
    public boolean connected(HostId host) {
        return connected(host, true) && connected(host, false);
    }

    private boolean connected(HostId host, boolean toController) {
        return !controllerCutOff && !cutOff.contains(host) && !(toController ? requestsLost : repliesLost).contains(host);
    }

    /** One way: the host's heartbeats reach the controller, the controller's replies are lost. */
    public void loseReplies(HostId host) {
        repliesLost.add(host);
        everCut.add(host);
    }

    /** One way: the host's heartbeats are lost (so there is nothing to reply to). */
    public void loseRequests(HostId host) {
        requestsLost.add(host);
        everCut.add(host);
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
        requestsLost.remove(host);
        repliesLost.remove(host);
    }

    public void cutController(boolean cut) {
        controllerCutOff = cut;
        controllerEverCut |= cut;
    }

    public void healAll() {
        cutOff.clear();
        requestsLost.clear();
        repliesLost.clear();
        controllerCutOff = false;
    }

    /** Hosts cut off from the controller, both ways or one. */
    public Set<HostId> cutOffHosts() {
        Set<HostId> all = new HashSet<>(cutOff);
        all.addAll(requestsLost);
        all.addAll(repliesLost);
        return Set.copyOf(all);
    }

    public long sent() {
        return sent;
    }

    public long dropped() {
        return dropped;
    }
}
