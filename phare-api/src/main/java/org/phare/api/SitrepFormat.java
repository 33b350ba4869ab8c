package org.phare.api;

import org.phare.core.record.ContinuityRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.phare.core.continuity.Cadence;
import org.phare.core.continuity.Coverage;
import org.phare.core.record.Record;
import org.phare.core.report.Sitrep;
import org.phare.core.state.Alarm;

/**
 * The situation report as people read it: Markdown, or one self-contained HTML page (inline style, no script, no
 * external resource) that prints well. Both render the same sections, built once from the {@link Sitrep}; times are
 * in the plan's time zone.
 */
public final class SitrepFormat {
    /** What a section holds, in order. */
    sealed interface Block {}

    record Text(String text) implements Block {}

    record Bullets(List<String> items) implements Block {}

    record Table(List<String> header, List<List<String>> rows) implements Block {}

    record Section(String title, List<Block> blocks) {}

    private final Sitrep s;
    private final ZoneId zone;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private SitrepFormat(Sitrep s) {
        this.s = s;
        this.zone = ZoneId.of(s.timezone());
    }

    public static String markdown(Sitrep s) {
        SitrepFormat f = new SitrepFormat(s);
        StringBuilder out = new StringBuilder("# Situation report — " + f.time(s.generatedAtMs()) + "\n\n");
        for (Section section : f.sections()) {
            out.append("## ").append(section.title()).append("\n\n");
            for (Block b : section.blocks()) {
                switch (b) {
                    case Text t -> out.append(md(t.text())).append("\n\n");
                    case Bullets l -> {
                        l.items().forEach(i -> out.append("- ").append(md(i)).append('\n'));
                        out.append('\n');
                    }
                    case Table t -> {
                        out.append(mdRow(t.header()));
                        out.append(mdRow(t.header().stream().map(h -> "---").toList()));
                        t.rows().forEach(r -> out.append(mdRow(r)));
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    private static String mdRow(List<String> cells) {
        return "| " + String.join(" | ", cells.stream().map(c -> md(c, false).replace("|", "\\|")).toList()) + " |\n";
    }

    /**
     * Free text (decisions, orders, reasons) made inert in Markdown: on one line, with HTML markup escaped (renderers
     * pass it through), and no character that would make a heading, emphasis, code or a link.
     */
    static String md(String text) {
        return md(text, true);
    }

    /** @param lineStart the text starts a line (or a list item), where {@code #} would make a heading */
    static String md(String text, boolean lineStart) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '\r', '\n' -> b.append(' ');
                case '\\', '`', '*', '_', '[', ']' -> b.append('\\').append(ch);
                case '#' -> b.append(i == 0 && lineStart ? "\\#" : "#");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    public static String html(Sitrep s) {
        SitrepFormat f = new SitrepFormat(s);
        String title = "Situation report — " + f.time(s.generatedAtMs());
        StringBuilder out = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                """);
        out.append("<title>").append(Markup.escape(title)).append("</title>\n");
        out.append("""
                <style>
                body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;max-width:60rem;margin:2rem auto;padding:0 1rem}
                h1{font-size:1.5rem;border-bottom:3px solid #111;padding-bottom:.3rem}
                h2{font-size:1.15rem;margin-top:1.6rem;border-bottom:1px solid #999}
                table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
                th,td{border:1px solid #bbb;padding:.25rem .45rem;text-align:left;vertical-align:top}
                th{background:#eee}
                .down,.overdue,.gap{background:#fdd;font-weight:bold}
                .degraded,.single{background:#ffe9b3}
                .ok{background:#e3f5e1}
                section{break-inside:avoid-page}
                @media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}tr{break-inside:avoid}
                th,.down,.overdue,.gap,.degraded,.single,.ok{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
                </style></head><body>
                """);
        out.append("<h1>").append(Markup.escape(title)).append("</h1>\n");
        for (Section section : f.sections()) {
            out.append("<section><h2>").append(Markup.escape(section.title())).append("</h2>\n");
            for (Block b : section.blocks()) {
                switch (b) {
                    case Text t -> out.append("<p>").append(Markup.escape(t.text())).append("</p>\n");
                    case Bullets l -> {
                        out.append("<ul>");
                        l.items().forEach(i -> out.append("<li>").append(Markup.escape(i)).append("</li>"));
                        out.append("</ul>\n");
                    }
                    case Table t -> {
                        out.append("<table><thead><tr>");
                        t.header().forEach(h -> out.append("<th>").append(Markup.escape(h)).append("</th>"));
                        out.append("</tr></thead><tbody>\n");
                        for (List<String> r : t.rows()) {
                            out.append("<tr>");
                            r.forEach(c -> out.append(cell(c)));
                            out.append("</tr>\n");
                        }
                        out.append("</tbody></table>\n");
                    }
                }
            }
            out.append("</section>\n");
        }
        return out.append("</body></html>\n").toString();
    }

    /** A cell, marked for colour when it states a status. */
    private static String cell(String c) {
        String cls = switch (c) {
            case "down", "overdue", "NO" -> "down";
            case "degraded" -> "degraded";
            case "ok", "yes" -> "ok";
            default -> c.startsWith("gap ") ? "gap" : c.equals("single point") ? "single" : null;
        };
        return (cls == null ? "<td>" : "<td class=\"" + cls + "\">") + Markup.escape(c) + "</td>";
    }

    // --- the sections ---------------------------------------------------------------------------

    List<Section> sections() {
        return List.of(level(), infrastructure(), failovers(), headroom(), staff(), actions(), decisions(), meetings());
    }

    private Section level() {
        Sitrep.LevelView l = s.level();
        List<Block> b = new ArrayList<>();
        b.add(new Text("Level " + l.level() + (l.name() == null ? "" : " — " + l.name())
                + (l.sinceMs() == null ? ", never changed." : ", since " + time(l.sinceMs()) + " (" + ago(l.sinceMs()) + " ago), set by "
                + l.by() + " (" + l.trigger() + "): " + l.reason())));
        List<String> items = new ArrayList<>();
        l.recommendations().forEach(r -> items.add("Recommended by the plan: level " + r.level() + " (" + r.trigger() + ", "
                + time(r.atMs()) + "): " + r.detail()));
        l.down().forEach(d -> items.add("Declared down: " + d.kind() + " " + d.id() + " since " + time(d.atMs()) + " — " + d.detail()));
        l.closedSites().forEach((site, order) -> items.add("Site closed: " + site + " — " + order));
        l.transportLost().forEach(t -> items.add("No transport: " + t.area() + " since " + time(t.atMs()) + " — " + t.detail()));
        if (!items.isEmpty()) {
            b.add(new Bullets(items));
        }
        return new Section("Alert level", b);
    }

    /**
     * A line per region, then a table of zones and one of sites, every cell with a value. (In one table of regions,
     * zones and sites, a region row left six cells of eight empty, a site row three.)
     */
    private Section infrastructure() {
        List<String> regions = new ArrayList<>();
        List<List<String>> zones = new ArrayList<>();
        List<List<String>> sites = new ArrayList<>();
        for (Sitrep.RegionHealth r : s.regions()) {
            int[] n = new int[4]; // hosts, ready, suspect, dead
            int instances = 0;
            int waiting = 0;
            Map<String, Integer> byStatus = new TreeMap<>();
            for (Sitrep.ZoneHealth z : r.zones()) {
                n[0] += z.hosts();
                n[1] += z.ready();
                n[2] += z.suspect();
                n[3] += z.dead();
                instances += z.instances();
                waiting += z.waiting();
                byStatus.merge(z.status(), 1, Integer::sum);
                zones.add(List.of(r.region(), z.zone(), z.status(), hosts(z.hosts(), z.ready(), z.suspect(), z.dead()),
                        String.valueOf(z.cordoned()), String.valueOf(z.instances()), String.valueOf(z.waiting())));
                for (Sitrep.SiteHealth site : z.sites()) {
                    sites.add(List.of(r.region(), z.zone(), site.site(), site.status(),
                            hosts(site.hosts(), site.ready(), site.suspect(), site.dead())));
                }
            }
            List<String> statuses = new ArrayList<>();
            byStatus.forEach((status, count) -> statuses.add(count + " " + status));
            regions.add("Region " + r.region() + ": " + r.status() + " — " + r.zones().size() + " zone(s)"
                    + (statuses.isEmpty() ? "" : " (" + String.join(", ", statuses) + ")") + ", "
                    + n[0] + " host(s) (" + hostStates(n[1], n[2], n[3]) + "), " + instances + " instance(s), " + waiting + " waiting to run again.");
        }
        List<Block> b = new ArrayList<>();
        b.add(regions.isEmpty() ? new Text("No region defined.") : new Bullets(regions));
        if (!zones.isEmpty()) {
            b.add(new Table(List.of("region", "zone", "status", "hosts", "cordoned/draining", "instances", "waiting"), zones));
        }
        if (!sites.isEmpty()) {
            b.add(new Table(List.of("region", "zone", "site", "status", "hosts"), sites));
        }
        if (!s.alarms().isEmpty()) {
            b.add(new Bullets(s.alarms().stream().map((Alarm a) -> "Alarm " + a.code() + " since " + time(a.sinceMs()) + ": " + a.detail()).toList()));
        }
        return new Section("Infrastructure", b);
    }

    private static String hosts(int all, int ready, int suspect, int dead) {
        return all + " (" + hostStates(ready, suspect, dead) + ")";
    }

    private static String hostStates(int ready, int suspect, int dead) {
        return ready + " ready" + (suspect > 0 ? ", " + suspect + " suspect" : "") + (dead > 0 ? ", " + dead + " dead" : "");
    }

    private Section failovers() {
        Sitrep.FailoverView f = s.failovers();
        List<Block> b = new ArrayList<>();
        b.add(new Text("Since " + f.since() + " (" + time(f.sinceMs()) + "): " + f.recovered() + " instance(s) restarted elsewhere; "
                + f.waiting() + " waiting."));
        if (f.recovered() > 0) {
            b.add(new Table(List.of("duration", "from", "to", "p50", "p95", "max"), List.of(
                    durations("outage", "host last heard", "running elsewhere", f.outage()),
                    durations("detection", "host last heard", "host declared dead", f.detection()),
                    durations("re-placement", "host declared dead", "running elsewhere", f.replacement()))));
        }
        if (f.recovered() + f.waiting() > 0) {
            b.add(new Text("The outage, what tenants felt, is counted from the host's last heartbeat (the host failed at most"
                    + " one heartbeat interval later): detection until the host was declared dead, then re-placement until the"
                    + " instance ran elsewhere." + (f.outage().count() < f.recovered() ? " The log did not record when the host"
                    + " of " + (f.recovered() - f.outage().count()) + " failover(s) was last heard: their outage is unknown." : "")));
        }
        if (!f.byZone().isEmpty()) {
            b.add(new Bullets(f.byZone().entrySet().stream().map((Map.Entry<String, Integer> e) -> e.getValue() + " from " + e.getKey()).toList()));
        }
        List<List<String>> rows = new ArrayList<>();
        for (Sitrep.FailoverLine x : f.latest()) {
            rows.add(List.of(x.instance().value(), x.fromHost() + " (" + x.fromZone() + ")", x.toHost() + " (" + x.toZone() + ")",
                    time(x.runningAtMs()), secs(x.detectionMs()), secs(x.replacementMs()), secs(x.outageMs())));
        }
        for (Sitrep.FailoverLine x : f.stillWaiting()) {
            rows.add(List.of(x.instance().value(), x.fromHost() + " (" + x.fromZone() + ")",
                    x.toHost() == null ? "not placed yet" : x.toHost() + " (" + x.toZone() + "), starting", "waiting",
                    secs(x.detectionMs()), soFar(x.hostDeadAtMs()), soFar(x.hostLastHeardMs())));
        }
        if (!rows.isEmpty()) {
            b.add(new Table(List.of("instance", "from", "to", "running since", "detection", "re-placement", "outage"), rows));
        }
        return new Section("Failovers since the last meeting", b);
    }

    private static List<String> durations(String what, String from, String to, Sitrep.Durations d) {
        return List.of(what, from, to, secs(d.p50Ms()), secs(d.p95Ms()), secs(d.maxMs()));
    }

    /** A duration still running: from {@code sinceMs} to the report. */
    private String soFar(Long sinceMs) {
        return sinceMs == null ? "unknown" : secs(Math.max(0, s.generatedAtMs() - sinceMs)) + " so far";
    }

    private Section headroom() {
        List<List<String>> rows = new ArrayList<>();
        String slot = "";
        for (Sitrep.ZoneHeadroom h : s.headroom()) {
            slot = h.slot();
            rows.add(List.of(h.region(), h.zone(), num(h.zoneLoad()), num(h.othersRoom()), num(h.zoneLossMargin()),
                    h.zoneLossMargin() >= 0 ? "yes" : "NO", num(h.hostLossMargin())));
        }
        return new Section("Capacity against the failover reserve", List.of(
                new Text("In slots of the largest instance size" + (slot.isEmpty() ? "" : " (" + slot + ")")
                        + ": what losing each zone would displace, the room the other zones have, and the room left in the zone"
                        + " beyond its worst single host loss."),
                new Table(List.of("region", "zone", "zone load", "room elsewhere", "margin", "zone loss covered", "host loss margin"), rows)));
    }

    private Section staff() {
        Sitrep.StaffView st = s.staff();
        List<Block> b = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        st.byStatus().forEach((k, v) -> statuses.add(v + " " + k));
        b.add(new Text(st.people() + " people: " + String.join(", ", statuses) + ". At this level " + st.mustBeRemote()
                + " must work remotely, " + st.cannotBeRemote() + " of them cannot (no VPN or no MFA). " + st.functions()
                + " critical function(s), " + st.gaps() + " with a gap."));
        List<List<String>> rows = new ArrayList<>();
        for (Coverage.FunctionCoverage f : st.attention()) {
            rows.add(List.of(f.id(), f.name(), String.valueOf(f.required()), String.valueOf(f.available()),
                    String.valueOf(f.remoteReady()), f.gap() > 0 ? "gap " + f.gap() : "single point"));
        }
        if (!rows.isEmpty()) {
            b.add(new Table(List.of("function", "name", "required", "available", "remote-ready", "attention"), rows));
        }
        return new Section("Staff coverage", b);
    }

    private Section actions() {
        List<List<String>> rows = new ArrayList<>();
        for (Sitrep.ActionView a : s.openActions()) {
            rows.add(List.of(String.valueOf(a.id()), a.text(), a.owner(), time(a.dueMs()), a.overdue() ? "overdue" : "open"));
        }
        List<Block> b = new ArrayList<>();
        b.add(new Text(s.openActionsTotal() + " open action(s)" + (s.openActionsTotal() > rows.size() ? ", the first " + rows.size() + " by due time" : "") + "."));
        if (!rows.isEmpty()) {
            b.add(new Table(List.of("#", "action", "owner", "due", "state"), rows));
        }
        return new Section("Open actions", b);
    }

    private Section decisions() {
        List<String> items = new ArrayList<>();
        for (ContinuityRecord.MinutesRecorded d : s.lastDecisions()) {
            items.add(time(d.atMs()) + (d.meeting() == 0 ? " (between meetings)" : " (meeting " + d.meeting() + ")") + ", " + d.by() + ": " + d.text());
        }
        return new Section("Last decisions", items.isEmpty() ? List.of(new Text("None recorded.")) : List.of(new Bullets(items)));
    }

    private Section meetings() {
        Sitrep.MeetingView m = s.meetings();
        List<String> items = new ArrayList<>();
        if (m.current() != null) {
            items.add("In progress: meeting " + m.current().id() + ", opened " + time(m.current().openedAtMs()) + " by " + m.current().openedBy());
        }
        if (m.previous() != null) {
            items.add("Previous: meeting " + m.previous().id() + ", " + time(m.previous().openedAtMs())
                    + (m.previous().slot() == null ? " (extraordinary)" : ""));
        }
        m.missed().forEach(x -> items.add("Missed: the " + time(x.atMs()) + " meeting of the cadence"));
        items.add("Next: " + (m.next().isEmpty() ? "no meeting in the cadence at this level"
                : String.join(", ", m.next().stream().map((Cadence.Slot x) -> time(x.atMs())).toList())));
        return new Section("Crisis cell meetings", List.of(new Bullets(items)));
    }

    // --- values ---------------------------------------------------------------------------------

    private String time(long ms) {
        return TIME.format(Instant.ofEpochMilli(ms).atZone(zone)) + " " + zone.getId();
    }

    private String ago(long ms) {
        Duration d = Duration.ofMillis(Math.max(0, s.generatedAtMs() - ms));
        return d.toDays() > 0 ? d.toDays() + " d " + d.toHoursPart() + " h" : d.toHours() > 0 ? d.toHours() + " h " + d.toMinutesPart() + " min"
                : d.toMinutes() > 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    /** Seconds with one decimal, or "unknown" (a duration the log cannot tell). */
    private static String secs(Long ms) {
        return ms == null ? "unknown" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
