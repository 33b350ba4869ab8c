package org.phare.core.drill;

import java.util.List;

/** What a drill's step does: a fault of the infrastructure, a fault of the people, or a check. */
public sealed interface Fault {
    /** How long the fault lasts (0: until the drill ends, or an instant). */
    default long durationMs() {
        return 0;
    }

    /** Host agents acted on by a fault, chosen when the step runs: by host id, or {@code count} hosts of a site or zone. */
    record Target(String host, String site, String zone, int count) {
        /** @return a text naming the target, for the timeline */
        public String describe() {
            if (host != null) {
                return "host " + host;
            }
            String where = site != null ? "site " + site : zone != null ? "zone " + zone : "the scope";
            return (count == 0 ? "every host of " : count + " host(s) of ") + where;
        }
    }

    /** What an agent does when told. */
    enum AgentAction {
        /** Its instances' processes are killed at once and it falls silent, as a machine that died, until healed. */
        CRASH,
        /** The agent process is stopped (SIGSTOP) and continued after the duration: its copies must fence themselves. */
        FREEZE,
        /** It stops talking to the servers (its copies keep running and must fence themselves), until healed. */
        ISOLATE
    }

    /** Agents crash, freeze or are cut off; {@code forMs} 0 lasts until the drill ends. Losing a site or zone is a crash of all its hosts. */
    record AgentFault(AgentAction action, Target target, long forMs) implements Fault {
        @Override
        public long durationMs() {
            return forMs;
        }
    }

    /** What the control plane's leader does when told. */
    enum LeaderAction {
        /** It stops at once (the process halts): the other members elect a new leader. */
        STOP,
        /** It is frozen (SIGSTOP) for the duration, then continues. */
        FREEZE,
        /** It hands leadership to another member. */
        STEP_DOWN
    }

    record LeaderFault(LeaderAction action, long forMs) implements Fault {
        @Override
        public long durationMs() {
            return forMs;
        }
    }

    /** A share of the roster is absent (drawn from the seed), until the drill ends. */
    record Absence(int percent, long seed) implements Fault {}

    /** The people holding any of these roles are quarantined, until the drill ends. */
    record Quarantine(List<String> roles) implements Fault {
        public Quarantine {
            roles = List.copyOf(roles);
        }
    }

    /** A prefect's order closes a site, or every site of an area, until the drill ends. */
    record ClosureOrder(String siteOrArea, String order) implements Fault {}

    /** Public transport of an area stops, until the drill ends. */
    record TransportLost(String area, String reason) implements Fault {}

    /** A check: the alert level is at least {@code level} within {@code withinMs} of the step. */
    record LevelCheck(int level, long withinMs) implements Fault {
        @Override
        public long durationMs() {
            return withinMs;
        }
    }
}
