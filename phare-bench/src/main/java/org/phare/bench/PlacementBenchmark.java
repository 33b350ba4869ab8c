package org.phare.bench;

import java.util.concurrent.TimeUnit;
import org.phare.core.control.Controller;
import org.phare.core.control.ComputeWrites;
import org.phare.core.model.InstanceId;
import org.phare.core.model.TenantId;
import org.phare.core.placement.PlacementDecision;
import org.phare.core.placement.PlacementRequest;
import org.phare.core.placement.Scheduler;
import org.phare.core.state.CloudState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One placement decision, {@link Scheduler#place}, for a new t.medium (2 vCPU, 4096 MiB) with admission
 * policy {@code ZONE}, on 10,000 hosts of 44 vCPU / 180224 MiB in 3 zones, pre-filled through a controller
 * to the given vCPU utilisation. Pure decision: the state does not change during measurement. The instance
 * id changes on every call, so each call draws a different candidate order.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"}) // fixed heap: no resizing mid-run
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class PlacementBenchmark {

    /** Fraction of the fleet's vCPUs (and memory) already used by t.medium instances. */
    @Param({"0.0", "0.3", "0.6"})
    public double utilisation;

    private static final int IDS = 4096; // a power of two

    private CloudState state;
    private Scheduler scheduler;
    private final TenantId tenant = new TenantId("bench-tenant");
    private final InstanceId[] ids = new InstanceId[IDS];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        state = BenchCloud.state(BenchCloud.HOSTS, BenchCloud.HOST);
        Controller controller = BenchCloud.controller(state, new BenchCloud.InMemoryJournal());
        long vcpus = (long) BenchCloud.HOSTS * BenchCloud.HOST.vcpus();
        BenchCloud.fill(controller, Math.round(utilisation * vcpus / BenchCloud.T_MEDIUM.resources().vcpus()));
        scheduler = new Scheduler(BenchCloud.PLACEMENT);
        for (int i = 0; i < IDS; i++) {
            ids[i] = ComputeWrites.instanceId(state.idSalt(), state.instanceSeq() + 1 + i); // ids the controller would hand out next
        }
        if (!(place() instanceof PlacementDecision.Placed)) {
            throw new IllegalStateException("a t.medium does not fit at utilisation " + utilisation + ": " + place());
        }
    }

    @Benchmark
    public PlacementDecision place() {
        InstanceId id = ids[next++ & (IDS - 1)];
        PlacementRequest request = new PlacementRequest(id, tenant, BenchCloud.T_MEDIUM.resources(), null, null,
                false, false, 1);
        return scheduler.place(state, BenchCloud.REGION, request);
    }
}
