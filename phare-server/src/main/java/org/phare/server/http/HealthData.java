package org.phare.server.http;

import org.phare.core.record.ContinuityRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import org.phare.core.continuity.Coverage;
import org.phare.core.continuity.LevelChange;
import org.phare.core.continuity.Person;
import org.phare.core.continuity.Plan;
import org.phare.core.model.Account;
import org.phare.core.record.Record;
import org.phare.server.auth.Authenticator;

/**
 * The at-risk flag is health data, given with consent for HR: it leaves the server for the {@code hr} role only,
 * and so does everything per person that is derived from it. Under the default plan (levels 1 to 3 send only the
 * at-risk home) the level from which the plan wants a person remote is the flag by another name, and so is the
 * list of the people a level change sends home, or lets come back. Every other role gets counts: how many must
 * switch to remote, how many cannot, how many may come back. Aggregates (coverage, the situation report) are
 * counts already and are the same for every role.
 */
final class HealthData {
    private HealthData() {
    }

    static boolean readable(Authenticator.Principal p) {
        return p.role() == Account.Role.HR;
    }

    /** A person as a role may see them: the at-risk flag, and from which level the plan wants them remote, for HR only. */
    static Map<String, Object> person(Person p, Plan plan, boolean hr) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("name", p.name());
        m.put("roles", p.roles());
        m.put("site", p.site());
        m.put("status", p.status());
        m.put("remoteReady", p.remoteReady());
        m.put("vpn", p.vpn());
        m.put("mfa", p.mfa());
        if (hr) {
            m.put("atRisk", p.atRisk());
            int from = plan == null ? -1 : Coverage.remoteFromLevel(plan, p);
            m.put("remoteFromLevel", from < 0 ? null : from);
        }
        return m;
    }

    /** A recorded level change as a role may see it: its actions through {@link #actions}. */
    static Map<String, Object> levelChange(ContinuityRecord.LevelChanged c, boolean hr) {
        if (c == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "LevelChanged");
        m.put("from", c.from());
        m.put("to", c.to());
        m.put("by", c.by());
        m.put("reason", c.reason());
        m.put("trigger", c.trigger());
        m.put("actions", actions(c.actions(), hr));
        m.put("atMs", c.atMs());
        return m;
    }

    /** What a level change implies: the measures and meetings for every role; the people named for HR only. */
    static Map<String, Object> actions(LevelChange a, boolean hr) {
        if (a == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", a.from());
        m.put("to", a.to());
        m.put("activate", a.activate());
        m.put("lift", a.lift());
        m.put("counts", a.counts());
        if (hr) {
            m.put("toRemote", a.toRemote());
            m.put("cannotRemote", a.cannotRemote());
            m.put("mayReturn", a.mayReturn());
        }
        m.put("meetings", a.meetings());
        return m;
    }
}
