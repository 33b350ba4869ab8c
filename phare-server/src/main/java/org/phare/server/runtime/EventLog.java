package org.phare.server.runtime;

import org.phare.core.report.Events;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator reading the server's log must see, logged by the leader once its batches commit: the
 * {@link Events} of the log (hosts declared dead, instances running again, zones and sites down or back, alarms,
 * alert levels, closures, transport). Ids, levels and reasons only: never the roster, nor anything of a person.
 */
final class EventLog {
    private static final Logger LOG = LoggerFactory.getLogger("org.phare.events");

    private EventLog() {}

    static void log(Events.Event e) {
        if (e.severity() == Events.Severity.WARNING) {
            LOG.warn("{}", e.text());
        } else {
            LOG.info("{}", e.text());
        }
    }
}
