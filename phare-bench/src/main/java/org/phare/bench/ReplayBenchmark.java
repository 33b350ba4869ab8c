package org.phare.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.phare.core.control.Controller;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recovery from the log: replaying, into a fresh {@link CloudState}, the topology of 10,000 hosts followed
 * by 100,000 instance placements (200,000 records: InstanceRequested + InstancePlaced each) that a
 * controller produced once at set-up. Time per full replay.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"}) // fixed heap: no resizing mid-run
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class ReplayBenchmark {

    static final int INSTANCES = 100_000;

    private List<Record> log;

    @Setup(Level.Trial)
    public void setUp() {
        List<Record> topology = BenchCloud.topology(BenchCloud.HOSTS, BenchCloud.HOST);
        CloudState live = new CloudState();
        live.replayAll(topology);
        BenchCloud.InMemoryJournal journal = new BenchCloud.InMemoryJournal();
        Controller controller = BenchCloud.controller(live, journal);
        BenchCloud.fill(controller, INSTANCES);
        List<Record> all = new ArrayList<>(topology);
        all.addAll(journal.records);
        log = List.copyOf(all);
        if (!replay().differences(live).isEmpty()) {
            throw new IllegalStateException("replay does not reproduce the live state");
        }
    }

    @Benchmark
    public CloudState replay() {
        CloudState state = new CloudState();
        state.replayAll(log);
        return state;
    }
}
