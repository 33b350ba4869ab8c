package org.phare.server.runtime;

import java.util.List;
import org.phare.core.model.HostState;
import org.phare.core.record.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator reading the server's log must see, logged by the leader once its batches commit: hosts declared
 * dead, zones and sites down or back, alarms, alert level changes and recommendations, closures and transport losses.
 * It logs ids, levels and reasons only: never the roster, nor anything of a person.
 */
final class EventLog {
    private static final Logger LOG = LoggerFactory.getLogger("org.phare.events");

    private EventLog() {}

    static void log(List<Record> batch) {
        for (Record r : batch) {
            switch (r) {
                case Record.HostStateChanged h when h.state() == HostState.DEAD -> LOG.warn("host {} declared dead: {}", h.host(), h.reason());
                case Record.InfrastructureChanged i when i.down() -> LOG.warn("{} {} down: {}", i.kind(), i.id(), i.detail());
                case Record.InfrastructureChanged i -> LOG.info("{} {} back: {}", i.kind(), i.id(), i.detail());
                case Record.AlarmRaised a -> LOG.warn("alarm {}: {}", a.code(), a.detail());
                case Record.AlarmCleared a -> LOG.info("alarm {} cleared", a.code());
                case Record.LevelChanged l -> LOG.warn("alert level {} -> {} by {} ({}): {}", l.from(), l.to(), l.by(), l.trigger(), l.reason());
                case Record.LevelRecommended l -> LOG.warn("the plan recommends alert level {} ({}): {}", l.level(), l.trigger(), l.detail());
                case Record.SitesClosed s -> LOG.warn("sites closed by order: {} ({})", s.sites(), s.order());
                case Record.SitesReopened s -> LOG.info("sites reopened: {}", s.sites());
                case Record.TransportChanged t -> LOG.warn("transport {} in {}{}", t.lost() ? "lost" : "back", t.area(),
                        t.detail() == null ? "" : ": " + t.detail());
                default -> { }
            }
        }
    }
}
