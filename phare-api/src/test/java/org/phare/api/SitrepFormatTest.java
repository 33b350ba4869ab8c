package org.phare.api;

import org.phare.core.record.ComputeRecord;
import org.phare.core.record.ContinuityRecord;
import org.phare.core.record.TopologyRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.continuity.Plan;
import org.phare.core.model.HostId;
import org.phare.core.model.HostState;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.InstanceState;
import org.phare.core.model.InstanceType;
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

@DisplayName("SitrepFormat: the report as Markdown and as one HTML page")
class SitrepFormatTest {
    static final String NASTY = "<img src=x onerror=alert(1)> # *all* [link](http://x)\nsecond line & more";

    static Sitrep sample() {
        Plan plan = PlanYaml.parse(PlanYaml.defaultPlanText());
        long t = Instant.parse("2026-11-29T08:00:00Z").toEpochMilli();
        CloudState state = new CloudState();
        state.replayAll(List.of(
                new ContinuityRecord.PlanApplied(1, plan, "cell", null, t),
                new ContinuityRecord.RosterImported(RosterCsv.parse(Fixtures.roster(), plan).people(), "hr", t),
                new ContinuityRecord.SitesClosed(List.of("saint-cloud"), "order <b>113</b>", "cell", t),
                new ContinuityRecord.MeetingOpened(1, "2026-11-29T09:00+01:00", "cell", t),
                new ContinuityRecord.MinutesRecorded(1, true, NASTY, "cell", t + 1_000),
                new ContinuityRecord.ActionOpened(1, "VPN | MFA for p2", "hr", t + 7_200_000, 1, "cell", t + 2_000),
                new ContinuityRecord.MeetingClosed(1, "cell", t + 60_000)));
        return Sitrep.of(state, t + 3_600_000);
    }

    static final long T = Instant.parse("2026-11-29T08:00:00Z").toEpochMilli();

    /**
     * One region of two zones, three hosts over two sites; host a-1 last heard at T, declared dead at T + 5.3 s; one
     * of its instances ran again on b-1 at T + 7 s, the other waits; the report is made at T + 60 s.
     */
    static Sitrep cloud() {
        RegionId region = new RegionId("eu-west-2");
        ZoneId za = new ZoneId("eu-west-2a");
        ZoneId zb = new ZoneId("eu-west-2b");
        SiteId sa = new SiteId("eu-west-2a-dc1");
        SiteId sb = new SiteId("eu-west-2b-dc1");
        HostId a1 = new HostId("h-a-1");
        HostId b1 = new HostId("h-b-1");
        InstanceTypeId type = new InstanceTypeId("tinav5.c1r2");
        Resources small = new Resources(1, 2048);
        InstanceId moved = new InstanceId("i-00000000000000001");
        InstanceId stuck = new InstanceId("i-00000000000000002");
        List<Record> log = new ArrayList<>(List.of(
                new ContinuityRecord.PlanApplied(1, PlanYaml.parse(PlanYaml.defaultPlanText()), "cell", null, T - 3_600_000),
                new TopologyRecord.RegionDefined(new Region(region, "London")),
                new TopologyRecord.ZoneDefined(new Zone(za, region)),
                new TopologyRecord.ZoneDefined(new Zone(zb, region)),
                new TopologyRecord.SiteDefined(new Site(sa, za, "dc 1")),
                new TopologyRecord.SiteDefined(new Site(sb, zb, "dc 1")),
                new TopologyRecord.InstanceTypeDefined(new InstanceType(type, small)),
                new ComputeRecord.HostRegistered(a1, za, sa, new Resources(8, 16384), Map.of(), T - 3_600_000),
                new ComputeRecord.HostRegistered(b1, zb, sb, new Resources(8, 16384), Map.of(), T - 3_600_000),
                new ComputeRecord.HostRegistered(new HostId("h-b-2"), zb, sb, new Resources(8, 16384), Map.of(), T - 3_600_000)));
        for (InstanceId id : List.of(moved, stuck)) {
            log.add(new ComputeRecord.InstanceRequested(id, new TenantId("acme"), "vm", type, small, new ImageId("http-echo"), za, false, 0,
                    null, T - 600_000));
            log.add(new ComputeRecord.InstancePlaced(id, a1, 1, ComputeRecord.Placement.INITIAL, T - 600_000));
            log.add(new ComputeRecord.InstanceObserved(id, 1, InstanceState.RUNNING, T - 599_000));
        }
        log.add(new ComputeRecord.HostStateChanged(a1, HostState.DEAD, "silent for 5300 ms", T + 5_300, T));
        log.add(new ComputeRecord.InstanceEvicted(moved, a1, 1, "host dead", T + 5_300));
        log.add(new ComputeRecord.InstanceEvicted(stuck, a1, 1, "host dead", T + 5_300));
        log.add(new ComputeRecord.InstancePlaced(moved, b1, 2, ComputeRecord.Placement.FAILOVER, T + 5_500));
        log.add(new ComputeRecord.InstanceObserved(moved, 2, InstanceState.RUNNING, T + 7_000));
        CloudState state = new CloudState();
        state.replayAll(log);
        return Sitrep.of(state, T + 60_000);
    }

    @Test
    @DisplayName("failovers: detection, re-placement and outage per instance and in percentiles, the outage counted from the last heartbeat")
    void failoverTimes() {
        String md = SitrepFormat.markdown(cloud());
        assertThat(md).contains(
                "1 instance(s) restarted elsewhere; 1 waiting.",
                "| duration | from | to | p50 | p95 | max |",
                "| outage | host last heard | running elsewhere | 7.0 s | 7.0 s | 7.0 s |",
                "| detection | host last heard | host declared dead | 5.3 s | 5.3 s | 5.3 s |",
                "| re-placement | host declared dead | running elsewhere | 1.7 s | 1.7 s | 1.7 s |",
                "counted from the host's last heartbeat",
                "| instance | from | to | running since | detection | re-placement | outage |",
                "| i-00000000000000001 | h-a-1 (eu-west-2a) | h-b-1 (eu-west-2b) | 2026-11-29 09:00 Europe/Paris | 5.3 s | 1.7 s | 7.0 s |",
                "| i-00000000000000002 | h-a-1 (eu-west-2a) | not placed yet | waiting | 5.3 s | 54.7 s so far | 60.0 s so far |");
        String html = SitrepFormat.html(cloud());
        assertThat(html).contains("<th>detection</th><th>re-placement</th><th>outage</th>", "<td>7.0 s</td>");
    }

    @Test
    @DisplayName("health: a line per region, then zones and sites in tables whose every cell holds a value")
    void noHalfEmptyRows() {
        String md = SitrepFormat.markdown(cloud());
        assertThat(md).contains("- Region eu-west-2: degraded — 2 zone(s) (1 down, 1 ok), 3 host(s) (2 ready, 1 dead), 1 instance(s),"
                        + " 1 waiting to run again.",
                "| region | zone | status | hosts | cordoned/draining | instances | waiting |",
                "| eu-west-2 | eu-west-2a | down | 1 (0 ready, 1 dead) | 0 | 0 | 1 |",
                "| eu-west-2 | eu-west-2b | ok | 2 (2 ready) | 0 | 1 | 0 |",
                "| region | zone | site | status | hosts |",
                "| eu-west-2 | eu-west-2a | eu-west-2a-dc1 | down | 1 (0 ready, 1 dead) |");
        List<String> rows = md.lines().filter(l -> l.startsWith("|") && !l.startsWith("| ---")).toList();
        assertThat(rows).hasSizeGreaterThan(10).allSatisfy(row -> assertThat(row.split("(?<!\\\\)\\|", -1))
                .as("the cells of %s", row).filteredOn(String::isBlank).as("blank cells besides the two row ends").hasSize(2));
        assertThat(SitrepFormat.html(cloud())).doesNotContain("<td></td>");
    }

    @Test
    @DisplayName("free text is inert in Markdown: no HTML, no heading, no link, one line; table cells keep their columns")
    void markdownEscapes() {
        String md = SitrepFormat.markdown(sample());
        assertThat(md).doesNotContain("<img", "<b>", "\n# *all*", "[link](").contains("&lt;img src=x onerror=alert(1)&gt; # \\*all\\*")
                .contains("second line &amp; more").contains("| VPN \\| MFA for p2 | hr |").contains("Site closed: saint-cloud — order &lt;b&gt;113&lt;/b&gt;");
        assertThat(md.lines().filter(l -> l.startsWith("## "))).containsExactly("## Alert level", "## Infrastructure",
                "## Failovers since the last meeting", "## Capacity against the failover reserve", "## Staff coverage",
                "## Open actions", "## Last decisions", "## Crisis cell meetings");
        assertThat(md).contains("Previous: meeting 1, 2026-11-29 09:00 Europe/Paris", "| # | action | owner | due | state |");
        assertThat(SitrepFormat.md("# not a heading")).isEqualTo("\\# not a heading");
    }

    @Test
    @DisplayName("HTML: one self-contained page, everything escaped, styled for print")
    void htmlPage() {
        String html = SitrepFormat.html(sample());
        assertThat(html).startsWith("<!DOCTYPE html>").contains("@media print", "<style>", "&lt;img src=x onerror=alert(1)&gt;")
                .doesNotContain("<img", "<script", "<link", "src=\"", "href=", "<b>113");
        assertThat(html.indexOf("<section>")).isPositive();
        assertThat(html).endsWith("</body></html>\n");
    }
}
