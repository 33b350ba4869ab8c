package org.phare.bench;

import java.util.concurrent.TimeUnit;
import org.phare.core.control.Command;
import org.phare.core.control.Controller;
import org.phare.core.control.Result;
import org.phare.core.model.Resources;
import org.phare.core.model.TenantId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole write path of one new instance: {@code controller.submit(RunInstances count 1)} = validation,
 * placement decision, record creation, journal append (in memory) and replay into the state. Each
 * iteration starts from an empty 10,000-host state (3 zones, admission policy {@code ZONE}).
 *
 * <p>The hosts are 10 times those of {@link PlacementBenchmark} (440 vCPU / 1,802,240 MiB): a 2 s iteration
 * places several hundred thousand t.medium, more than 44-vCPU hosts can admit (the ZONE reserve stops at
 * 2/3 of 440,000 vCPUs, about 146,000 instances). The tear-down fails the run if any submit was rejected,
 * so every measured operation is a successful placement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"}) // fixed heap: no resizing mid-run
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ControllerRunBenchmark {

    /** {@link BenchCloud#HOST} times 10. */
    static final Resources BIG_HOST = new Resources(440, 1_802_240);

    private final Command.RunInstances run = BenchCloud.runMedium(new TenantId("bench-tenant"), 1);
    private Controller controller;
    private long submitted;

    @Setup(Level.Iteration)
    public void setUp() {
        controller = BenchCloud.controller(BenchCloud.state(BenchCloud.HOSTS, BIG_HOST),
                new BenchCloud.InMemoryJournal());
        submitted = 0;
    }

    @Benchmark
    public Result submit() {
        submitted++;
        return controller.submit(run);
    }

    @TearDown(Level.Iteration)
    public void check() {
        long placed = controller.counters().placements;
        if (placed != submitted) {
            throw new IllegalStateException((submitted - placed) + " of " + submitted
                    + " submits were rejected: enlarge BIG_HOST for this machine's throughput");
        }
    }
}
