package org.phare.core.report;

import org.phare.core.record.ComputeRecord;
import org.phare.core.record.ContinuityRecord;
import java.util.Locale;
import org.phare.core.model.HostState;
import org.phare.core.model.Instance;
import org.phare.core.model.InstanceState;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;
import org.phare.core.state.Failovers;

/**
 * The events an operator or the crisis cell must see as they happen, told from the records as the log commits them:
 * a host declared dead, an instance running again after its host died (with how long it was down), a zone or a site
 * down or back, an alarm, an alert level changed or recommended, sites closed or reopened, transport lost or back.
 * Pure: the same log gives the same events on every member. Ids, levels and reasons only: never a person.
 */
public final class Events {
    private Events() {}

    /** How much an event matters: a warning wants attention, info reports a return to normal. */
    public enum Severity { WARNING, INFO }

    /** One event: when (the record's time), how much it matters, of what kind, about what, and a sentence. */
    public record Event(long atMs, Severity severity, String kind, String subject, String text) {}

    /**
     * The event a record makes, told against the state just before it is replayed; null for a record no one needs to
     * hear of as it happens (most of them).
     */
    public static Event describe(CloudState before, Record record) {
        return switch (record) {
            case ComputeRecord.HostStateChanged h when h.state() == HostState.DEAD -> new Event(h.atMs(), Severity.WARNING,
                    "host-dead", h.host().value(), "host " + h.host() + " declared dead: " + h.reason());
            case ComputeRecord.InstanceObserved o when o.state() == InstanceState.RUNNING -> runningAgain(before, o);
            case ContinuityRecord.InfrastructureChanged i -> new Event(i.atMs(), i.down() ? Severity.WARNING : Severity.INFO,
                    i.kind() + (i.down() ? "-down" : "-back"), i.id(), i.kind() + " " + i.id() + (i.down() ? " down: " : " back: ")
                            + i.detail());
            case ComputeRecord.AlarmRaised a -> new Event(a.atMs(), Severity.WARNING, "alarm", a.code(), "alarm " + a.code() + ": " + a.detail());
            case ComputeRecord.AlarmCleared a -> new Event(a.atMs(), Severity.INFO, "alarm-cleared", a.code(), "alarm " + a.code() + " cleared");
            case ContinuityRecord.LevelChanged l -> new Event(l.atMs(), Severity.WARNING, "level", Integer.toString(l.to()),
                    "alert level " + l.from() + " -> " + l.to() + " by " + l.by() + " (" + l.trigger() + "): " + l.reason());
            case ContinuityRecord.LevelRecommended l -> new Event(l.atMs(), Severity.WARNING, "level-recommended", Integer.toString(l.level()),
                    "the plan recommends alert level " + l.level() + " (" + l.trigger() + "): " + l.detail());
            case ContinuityRecord.SitesClosed s -> new Event(s.atMs(), Severity.WARNING, "sites-closed", String.join(",", s.sites()),
                    "sites closed by order: " + String.join(", ", s.sites()) + " (" + s.order() + ")");
            case ContinuityRecord.SitesReopened s -> new Event(s.atMs(), Severity.INFO, "sites-reopened", String.join(",", s.sites()),
                    "sites reopened: " + String.join(", ", s.sites()));
            case ContinuityRecord.TransportChanged t -> new Event(t.atMs(), t.lost() ? Severity.WARNING : Severity.INFO,
                    t.lost() ? "transport-lost" : "transport-back", t.area(), "transport " + (t.lost() ? "lost" : "back") + " in "
                            + t.area() + (t.detail() == null ? "" : ": " + t.detail()));
            default -> null;
        };
    }

    /** An instance whose host died runs again: where, and how long it was down (from its host's last heartbeat). */
    private static Event runningAgain(CloudState before, ComputeRecord.InstanceObserved o) {
        Failovers.Failover f = before.failovers().waiting().get(o.instance());
        Instance i = before.instance(o.instance());
        if (f == null || f.toHost() == null || i == null || i.generation() != o.generation()) {
            return null; // not a failover (a first start, a restart by the tenant), or a stale observation
        }
        String down = f.hostLastHeardMs() == null ? "re-placed in " + seconds(o.atMs() - f.hostDeadAtMs())
                : "down " + seconds(o.atMs() - f.hostLastHeardMs()) + " (detected in " + seconds(f.detectionMs())
                        + ", re-placed in " + seconds(o.atMs() - f.hostDeadAtMs()) + ")";
        return new Event(o.atMs(), Severity.INFO, "instance-running-again", o.instance().value(), "instance " + o.instance()
                + " running again on " + f.toHost() + " (" + f.toZone() + "), moved from " + f.fromHost() + ": " + down);
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
