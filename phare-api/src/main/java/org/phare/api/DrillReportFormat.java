package org.phare.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.phare.api.Document.Block;
import org.phare.api.Document.Bullets;
import org.phare.api.Document.Section;
import org.phare.api.Document.Table;
import org.phare.api.Document.Text;
import org.phare.core.report.DrillReport;

/** The exercise report as Markdown or one HTML page (which {@code phare drill report --format pdf} prints to PDF). */
public final class DrillReportFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private DrillReportFormat() {
    }

    public static String markdown(DrillReport r) {
        return Document.markdown(title(r), sections(r));
    }

    public static String html(DrillReport r) {
        return Document.html(title(r), sections(r));
    }

    public static String title(DrillReport r) {
        return "Exercise report — " + r.name() + " (" + r.id() + ")";
    }

    public static List<Section> sections(DrillReport r) {
        List<Section> out = new ArrayList<>();
        out.add(new Section("Summary", List.of(new Text(summary(r)),
                new Table(List.of("", ""), List.of(
                        List.of("Status", r.status() + (r.reason() == null ? "" : " — " + r.reason())),
                        List.of("Announcement", r.announcement()),
                        List.of("Scheduled", time(r.scheduledAtMs()) + " by " + r.scheduledBy() + ", to start " + time(r.startAtMs())),
                        List.of("Started", r.startedAtMs() == null ? "not yet" : time(r.startedAtMs())),
                        List.of("Ended", r.endedAtMs() == null ? "not yet" : time(r.endedAtMs())),
                        List.of("Scope", scope(r.scope())))))));
        List<List<String>> objectives = new ArrayList<>();
        for (DrillReport.ObjectiveResult o : r.objectives()) {
            objectives.add(List.of(o.text(), o.met() == null ? "not judged" : o.met() ? "yes" : "NO", o.evidence()));
        }
        out.add(new Section("Objectives", List.of(new Table(List.of("Objective", "Met", "Evidence"), objectives))));
        DrillReport.OutageSummary o = r.outage();
        List<Block> outage = new ArrayList<>();
        if (!o.reported()) {
            outage.add(new Text("The prober has not reported: no outage was measured from outside."));
        } else {
            outage.add(new Text(String.format(Locale.ROOT, "Measured from outside the control plane by a prober requesting every watched"
                            + " instance's address every 200 ms (%d probes): %d of %d watched instances had an outage; longest outage per"
                            + " instance p50 %.1f s, p95 %.1f s, max %.1f s.", o.probes(), o.instances(), o.watched(), o.p50Seconds(),
                    o.p95Seconds(), o.maxSeconds())));
            List<List<String>> worst = new ArrayList<>();
            o.worst().forEach(w -> worst.add(List.of(w.instance(), String.format(Locale.ROOT, "%.1f s", w.seconds()),
                    w.recovered() ? "yes" : "NO")));
            if (!worst.isEmpty()) {
                outage.add(new Table(List.of("Worst instances", "Longest outage", "Answered again"), worst));
            }
        }
        out.add(new Section("Outages seen by tenants", outage));
        List<Block> prediction = new ArrayList<>();
        if (r.prediction() == null) {
            prediction.add(new Text("No prediction was recorded with the drill."));
        } else {
            var p = r.prediction();
            prediction.add(new Table(List.of("", "p50", "p95", "max"), List.of(
                    List.of("Predicted (" + p.seeds() + " simulated runs)", secs(p.p50Seconds()), secs(p.p95Seconds()), secs(p.maxSeconds())),
                    List.of("Seen", o.reported() ? secs(o.p50Seconds()) : "-", o.reported() ? secs(o.p95Seconds()) : "-",
                            o.reported() ? secs(o.maxSeconds()) : "-"))));
            prediction.add(r.predictionGaps().isEmpty() ? new Text("Prediction and reality agree (within 5 s or half the prediction).")
                    : new Bullets(r.predictionGaps()));
        }
        out.add(new Section("Prediction and reality", prediction));
        List<List<String>> failovers = new ArrayList<>();
        r.failovers().forEach(f -> failovers.add(List.of(f.instance(), f.fromHost() + " -> " + f.toHost(),
                secs(f.detectionSeconds()), secs(f.recoverySeconds()))));
        out.add(new Section("Failovers", failovers.isEmpty() ? List.of(new Text("None."))
                : List.of(new Table(List.of("Instance", "Moved", "Detection", "Re-placement to running"), failovers))));
        List<List<String>> timeline = new ArrayList<>();
        r.timeline().forEach(l -> timeline.add(List.of(offset(l.offsetMs()), l.kind(), l.text())));
        out.add(new Section("Timeline", List.of(new Table(List.of("Offset", "Kind", "What happened"), timeline))));
        out.add(new Section("People", List.of(new Text(r.uncovered().isEmpty()
                ? "Every critical function the objectives name was covered with the roster as the drill left it."
                : "Critical functions short of people:"), new Bullets(r.uncovered()))));
        List<List<String>> interventions = new ArrayList<>();
        r.interventions().forEach(i -> interventions.add(List.of(time(i.atMs()), i.who() + " (" + i.role() + ")", i.action())));
        out.add(new Section("Manual interventions: " + r.manualInterventions(), interventions.isEmpty()
                ? List.of(new Text("Nobody had to act on the cloud during the drill."))
                : List.of(new Table(List.of("When", "Who", "What"), interventions))));
        List<List<String>> findings = new ArrayList<>();
        r.findings().forEach(f -> findings.add(List.of(f.text(), f.action(), f.owner(), time(f.dueMs()))));
        out.add(new Section("Findings and corrective actions", findings.isEmpty() ? List.of(new Text("None."))
                : List.of(new Table(List.of("Finding", "Corrective action", "Owner", "Due"), findings))));
        return out;
    }

    private static String summary(DrillReport r) {
        long met = r.objectives().stream().filter(o -> Boolean.TRUE.equals(o.met())).count();
        return r.description() + (r.description().isEmpty() ? "" : " ") + met + " of " + r.objectives().size()
                + " objectives met; " + r.manualInterventions() + " manual intervention(s).";
    }

    private static String scope(DrillReport.Scope s) {
        return (s.region() == null ? "" : "region " + s.region() + "; ")
                + (s.zones().isEmpty() ? "every zone" : "zones " + String.join(", ", s.zones()))
                + (s.sites().isEmpty() ? "" : "; sites " + String.join(", ", s.sites()))
                + (s.tenants().isEmpty() ? "; every tenant" : "; tenants " + String.join(", ", s.tenants()))
                + "; " + s.watched() + " instances watched";
    }

    private static String time(long ms) {
        return TIME.format(Instant.ofEpochMilli(ms));
    }

    private static String secs(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }

    private static String offset(long ms) {
        return String.format(Locale.ROOT, "+%d:%02d.%d", ms / 60_000, (ms / 1000) % 60, (ms % 1000) / 100);
    }
}
