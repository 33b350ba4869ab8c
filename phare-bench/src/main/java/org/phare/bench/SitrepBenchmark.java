package org.phare.bench;

import org.phare.core.record.ComputeRecord;
import org.phare.core.record.ContinuityRecord;
import org.phare.core.record.TopologyRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.phare.api.SitrepFormat;
import org.phare.core.continuity.Plan;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.model.InstanceTypeId;
import org.phare.core.model.Region;
import org.phare.core.model.RegionId;
import org.phare.core.model.Resources;
import org.phare.core.model.Site;
import org.phare.core.model.SiteId;
import org.phare.core.model.TenantId;
import org.phare.core.model.Zone;
import org.phare.core.model.ZoneId;
import org.phare.core.record.Record;
import org.phare.core.report.Sitrep;
import org.phare.core.state.CloudState;

/**
 * The situation report (issue 6's figure) for the coverage benchmark's 5,000 people and 200 functions, at level 2
 * with a closed office and an area without transport, over a cloud of 3 zones (2 sites each), 300 hosts and 10,000
 * instances, one zone lost (its 100 hosts dead) and its 3,300-odd instances failed over since the last of 40
 * meetings; 60 decisions, 100 open actions. {@code compute} is what runs on the control loop; {@code markdown} and
 * {@code html} add the rendering (done off the loop).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SitrepBenchmark {
    static final int HOSTS_PER_ZONE = 100;
    static final int INSTANCES = 10_000;
    private CloudState state;
    private long now;

    @Setup
    public void setUp() {
        Plan plan = CoverageBenchmark.plan();
        List<Record> log = new ArrayList<>();
        long t = 1_795_900_000_000L; // 2026-11-28
        RegionId region = RegionId.of("eu-west-2");
        log.add(new TopologyRecord.RegionDefined(new Region(region, "bench")));
        List<List<HostId>> hosts = new ArrayList<>();
        for (char z = 'a'; z <= 'c'; z++) {
            ZoneId zone = ZoneId.of("eu-west-2" + z);
            log.add(new TopologyRecord.ZoneDefined(new Zone(zone, region)));
            List<HostId> zoneHosts = new ArrayList<>();
            for (int s = 1; s <= 2; s++) {
                log.add(new TopologyRecord.SiteDefined(new Site(SiteId.of(zone + "-dc" + s), zone, "datacenter")));
            }
            for (int h = 0; h < HOSTS_PER_ZONE; h++) {
                HostId id = HostId.of("h-" + z + "-" + h);
                log.add(new ComputeRecord.HostRegistered(id, zone, SiteId.of(zone + "-dc" + (1 + h % 2)), new Resources(64, 262_144), Map.of(), t));
                zoneHosts.add(id);
            }
            hosts.add(zoneHosts);
        }
        log.add(new ContinuityRecord.PlanApplied(1, plan, "bench", null, t));
        log.add(new ContinuityRecord.RosterImported(CoverageBenchmark.roster(plan, new SplittableRandom(7)), "hr", t));
        for (int i = 0; i < INSTANCES; i++) {
            InstanceId id = InstanceId.of(String.format("i-%017x", i));
            List<HostId> zoneHosts = hosts.get(i % 3);
            log.add(new ComputeRecord.InstanceRequested(id, TenantId.of("t" + (i % 100)), "vm-" + i, InstanceTypeId.of("c2r4"),
                    new Resources(2, 4096), ImageId.of("img"), ZoneId.of("eu-west-2" + (char) ('a' + i % 3)), false, 0, null, t));
            log.add(new ComputeRecord.InstancePlaced(id, zoneHosts.get(i / 3 % HOSTS_PER_ZONE), 1, ComputeRecord.Placement.INITIAL, t));
            log.add(new ComputeRecord.InstanceObserved(id, 1, InstanceState.RUNNING, t + 1_000));
        }
        log.add(new ContinuityRecord.LevelChanged(0, 2, "cell", "transport strike", "manual", null, t + 10_000));
        log.add(new ContinuityRecord.SitesClosed(List.of("site-1"), "order 113", "cell", t + 11_000));
        log.add(new ContinuityRecord.TransportChanged("area-2", true, "strike", "cell", t + 12_000));
        for (int m = 1; m <= 40; m++) {
            long at = t + 20_000 + m * 60_000L;
            log.add(new ContinuityRecord.MeetingOpened(m, null, "cell", at));
            log.add(new ContinuityRecord.MinutesRecorded(m, m % 2 == 0, "minutes line of meeting " + m + " <b>&</b>", "cell", at + 1_000));
            log.add(new ContinuityRecord.MinutesRecorded(m, true, "decision of meeting " + m, "cell", at + 2_000));
            log.add(new ContinuityRecord.MeetingClosed(m, "cell", at + 30_000));
        }
        for (int a = 1; a <= 100; a++) {
            log.add(new ContinuityRecord.ActionOpened(a, "action " + a, "role-" + (a % 40), t + 86_400_000L + a * 60_000L, 40, "cell", t + 2_500_000));
        }
        // Zone a is lost after the last meeting: its hosts die, its instances fail over to b and c.
        long lost = t + 3_000_000;
        for (HostId h : hosts.get(0)) {
            log.add(new ComputeRecord.HostStateChanged(h, HostState.DEAD, "silent for 5000 ms", lost, lost - 5_000));
        }
        log.add(new ContinuityRecord.InfrastructureChanged("zone", "eu-west-2a", true, "all hosts dead", lost));
        int moved = 0;
        for (int i = 0; i < INSTANCES; i += 3) {
            InstanceId id = InstanceId.of(String.format("i-%017x", i));
            log.add(new ComputeRecord.InstanceEvicted(id, hosts.get(0).get(i / 3 % HOSTS_PER_ZONE), 1, "host dead", lost + 2_000));
            log.add(new ComputeRecord.InstancePlaced(id, hosts.get(1 + moved % 2).get(moved % HOSTS_PER_ZONE), 2, ComputeRecord.Placement.FAILOVER, lost + 2_100));
            log.add(new ComputeRecord.InstanceObserved(id, 2, InstanceState.RUNNING, lost + 3_000 + moved % 5_000));
            moved++;
        }
        state = new CloudState();
        state.replayAll(log);
        now = lost + 60_000;
        Sitrep check = Sitrep.of(state, now);
        if (check.failovers().recovered() != moved || check.failovers().outage().count() != moved || check.staff().functions() != CoverageBenchmark.FUNCTIONS
                || !"down".equals(check.regions().get(0).zones().get(0).status()) || check.openActionsTotal() != 100) {
            throw new IllegalStateException("the bench state is not what it should be: " + check.failovers().recovered()
                    + " failovers, " + check.staff().functions() + " functions");
        }
    }

    @Benchmark
    public Sitrep compute() {
        return Sitrep.of(state, now);
    }

    @Benchmark
    public String markdown() {
        return SitrepFormat.markdown(Sitrep.of(state, now));
    }

    @Benchmark
    public String html() {
        return SitrepFormat.html(Sitrep.of(state, now));
    }
}
