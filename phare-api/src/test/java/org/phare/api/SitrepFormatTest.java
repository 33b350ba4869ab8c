package org.phare.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.continuity.Plan;
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
                new Record.PlanApplied(1, plan, "cell", null, t),
                new Record.RosterImported(RosterCsv.parse(Fixtures.roster(), plan).people(), "hr", t),
                new Record.SitesClosed(List.of("saint-cloud"), "order <b>113</b>", "cell", t),
                new Record.MeetingOpened(1, "2026-11-29T09:00+01:00", "cell", t),
                new Record.MinutesRecorded(1, true, NASTY, "cell", t + 1_000),
                new Record.ActionOpened(1, "VPN | MFA for p2", "hr", t + 7_200_000, 1, "cell", t + 2_000),
                new Record.MeetingClosed(1, "cell", t + 60_000)));
        return Sitrep.of(state, t + 3_600_000);
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
