package org.phare.server.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.phare.core.control.Controller;
import org.phare.core.model.Host;
import org.phare.core.model.HostState;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceState;
import org.phare.server.runtime.ControlLoop;

/**
 * Prometheus metrics at {@code /metrics}: hosts and instances by state, placements, failovers, the
 * recovery-time histogram (eviction to running again) and heartbeat lag. State gauges are read from one
 * consistent snapshot taken on the control loop at each scrape.
 */
final class Metrics implements Controller.Observer {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ControlLoop loop;
    private final Map<HostState, AtomicLong> hosts = new EnumMap<>(HostState.class);
    private final Map<InstanceState, AtomicLong> instances = new EnumMap<>(InstanceState.class);
    private final AtomicLong placements = new AtomicLong();
    private final AtomicLong failovers = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong deaths = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong leader = new AtomicLong();
    private final Timer recovery;
    private final Timer heartbeatGap;

    /** What this member forwarded to the leader (see {@link org.phare.server.forward.Forwarder}). */
    void forwarding(org.phare.server.forward.Forwarder f) {
        FunctionCounter.builder("phare_forwarded_requests", f, org.phare.server.forward.Forwarder::answered).tag("outcome", "answered")
                .description("Requests this member forwarded to the leader, by outcome").register(registry);
        FunctionCounter.builder("phare_forwarded_requests", f, org.phare.server.forward.Forwarder::noLeader).tag("outcome", "no_leader")
                .description("Requests this member forwarded to the leader, by outcome").register(registry);
        FunctionCounter.builder("phare_forwarded_requests", f, org.phare.server.forward.Forwarder::unknown).tag("outcome", "unknown")
                .description("Requests this member forwarded to the leader, by outcome").register(registry);
        FunctionCounter.builder("phare_forward_leader_waits", f, org.phare.server.forward.Forwarder::waits)
                .description("Tries to forward that found no leader to take the request and waited").register(registry);
    }

    Metrics(ControlLoop loop) {
        this.loop = loop;
        for (HostState s : HostState.values()) {
            AtomicLong v = new AtomicLong();
            hosts.put(s, v);
            Gauge.builder("phare_hosts", v, AtomicLong::get).tag("state", s.wire()).description("Hosts by health").register(registry);
        }
        for (InstanceState s : InstanceState.values()) {
            AtomicLong v = new AtomicLong();
            instances.put(s, v);
            Gauge.builder("phare_instances", v, AtomicLong::get).tag("state", s.wire()).description("Instances by state").register(registry);
        }
        Gauge.builder("phare_leader", leader, AtomicLong::get).description("1 while this member runs the active services").register(registry);
        Gauge.builder("phare_recovery_queue", pending, AtomicLong::get).description("Instances that should run and wait for a host").register(registry);
        FunctionCounter.builder("phare_placements", placements, AtomicLong::get).description("Placements since start").register(registry);
        FunctionCounter.builder("phare_failovers", failovers, AtomicLong::get).description("Failover placements since start").register(registry);
        FunctionCounter.builder("phare_evictions", evictions, AtomicLong::get).description("Instances moved off dead hosts since start").register(registry);
        FunctionCounter.builder("phare_hosts_declared_dead", deaths, AtomicLong::get).description("Hosts declared dead since start").register(registry);
        FunctionCounter.builder("phare_log_entries_proposed", loop, l -> l.groupCommits()[0])
                .description("Log entries this member's controllers proposed (each a group of decisions)").register(registry);
        FunctionCounter.builder("phare_log_decisions_proposed", loop, l -> l.groupCommits()[1])
                .description("Decisions those entries carried: divided by the entries, the group commit's batching").register(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
        recovery = Timer.builder("phare_recovery").description("From eviction to running again elsewhere")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        heartbeatGap = Timer.builder("phare_heartbeat_gap").description("Time between two heartbeats of a host (lag above the interval)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    @Override
    public void recovered(long nanos) {
        recovery.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void heartbeatGap(long nanos) {
        heartbeatGap.record(nanos, TimeUnit.NANOSECONDS);
    }

    String scrape() {
        loop.call(c -> {
            hosts.values().forEach(v -> v.set(0));
            instances.values().forEach(v -> v.set(0));
            for (Host h : c.state().hosts().values()) {
                hosts.get(h.state()).incrementAndGet();
            }
            for (Instance i : c.state().instances().values()) {
                instances.get(i.state()).incrementAndGet();
            }
            pending.set(c.state().recoveryQueue().size());
            Controller.Counters counters = loop.counters(c);
            placements.set(counters.placements);
            failovers.set(counters.failoverPlacements);
            evictions.set(counters.evictions);
            deaths.set(counters.hostsDeclaredDead);
            leader.set(c.controller() == null ? 0 : 1);
            return null;
        });
        return registry.scrape();
    }
}
