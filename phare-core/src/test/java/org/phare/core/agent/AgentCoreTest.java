package org.phare.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.phare.core.model.HostId;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;
import org.phare.core.model.SiteId;
import org.phare.core.model.ZoneId;

/** The agent's rules alone: what every agent (real, simulated, the tests') does with time, replies and its copies. */
@DisplayName("AgentCore: the agent's rules, once")
class AgentCoreTest {
    private static final long MS = 1_000_000L;
    private static final InstanceId A = new InstanceId("i-a");
    private static final InstanceId B = new InstanceId("i-b");
    private static final Protocol.Registration REG = new Protocol.Registration(new HostId("h-1"), new ZoneId("z"),
            new SiteId("z-1"), new Resources(8, 8192), Map.of());

    private static Protocol.Assignment assign(InstanceId id, long gen, int reboots) {
        return new Protocol.Assignment(id, gen, new ImageId("img"), new Resources(1, 512), reboots);
    }

    private static Protocol.Reply reply(long seq, List<Protocol.Assignment> desired) {
        return new Protocol.Reply(new Protocol.ReplyId(1, seq), true, 1_000, 3_000, desired);
    }

    private static Protocol.Reply changed(long seq, Protocol.DesiredChanges changes) {
        return new Protocol.Reply(new Protocol.ReplyId(1, seq), true, 1_000, 3_000, null, false, null, changes);
    }

    private static AgentCore.Copy copy(InstanceId id, long gen) {
        return new AgentCore.Copy(id, gen, true, "127.0.0.1:1");
    }

    /** An agent the controller knows, with a lease granted at time 0 and nothing assigned. */
    private static AgentCore registered() {
        AgentCore core = new AgentCore(REG);
        assertThat(core.message(List.of())).isEqualTo(REG);
        core.onReply(reply(1, List.of()), 0, 0, List.of());
        return core;
    }

    @Test
    @DisplayName("unanswered messages: retried soon while the lease holds; once it is gone, waits double up to the"
            + " interval, spread by the jitter over their upper half; a reply starts over")
    void unansweredBackOff() {
        AgentCore core = registered(); // lease granted at 0, for 3 s
        for (int i = 0; i < 5; i++) {
            assertThat(core.unanswered(1.0, 2_000 * MS)).as("the lease holds").isEqualTo(AgentCore.UNANSWERED_RETRY_MS);
        }
        assertThat(core.unanswered(0.0, 2_000 * MS)).as("jitter 0: half the wait").isEqualTo(AgentCore.UNANSWERED_RETRY_MS / 2);
        core.onTime(3_000 * MS); // fenced
        assertThat(core.unanswered(1.0, 3_100 * MS)).isEqualTo(AgentCore.UNANSWERED_RETRY_MS);
        assertThat(core.unanswered(1.0, 3_400 * MS)).isEqualTo(500);
        for (int i = 0; i < 40; i++) {
            assertThat(core.unanswered(0.5, 4_000 * MS)).as("never beyond the interval").isBetween(500L, 1_000L);
        }
        assertThat(core.unanswered(7.0, 9_000 * MS)).as("jitter is bounded").isEqualTo(1_000);
        core.onReply(reply(2, List.of()), 10_000 * MS, 10_000 * MS, List.of());
        core.onTime(14_000 * MS);
        assertThat(core.unanswered(1.0, 14_000 * MS)).as("after a reply, from the start").isEqualTo(AgentCore.UNANSWERED_RETRY_MS);
        AgentCore unregistered = new AgentCore(REG);
        unregistered.unanswered(1.0, 0);
        assertThat(unregistered.unanswered(1.0, 0)).as("no lease yet: a registration backs off too").isEqualTo(500);
    }

    @Nested
    @DisplayName("the lease")
    class TheLease {
        @Test
        @DisplayName("a new agent runs nothing: no lease, fenced, nothing may start")
        void newAgent() {
            AgentCore core = new AgentCore(REG);
            assertThat(core.fenced()).isTrue();
            assertThat(core.mayStart(0)).isFalse();
        }

        @Test
        @DisplayName("it runs 3 s from when the heartbeat was sent; then the agent fences once, and nothing starts until a reply")
        void fencesWhenItRunsOut() {
            AgentCore core = registered();
            assertThat(core.onTime(2_999 * MS).fence()).isFalse();
            assertThat(core.mayStart(2_999 * MS)).isTrue();

            assertThat(core.onTime(3_000 * MS).fence()).isTrue();
            assertThat(core.onTime(3_100 * MS).fence()).as("once").isFalse();
            assertThat(core.mayStart(3_100 * MS)).isFalse();
            assertThat(core.fences()).isEqualTo(1);

            core.onReply(reply(2, List.of()), 3_200 * MS, 3_250 * MS, List.of());
            assertThat(core.mayStart(3_300 * MS)).isTrue();
        }

        @Test
        @DisplayName("heartbeats acknowledge the newest reply received, even one that renewed nothing (too late, or no lease"
                + " granted): the controller learns its replies arrive")
        void heartbeatsAcknowledgeWhatArrived() {
            AgentCore core = registered();
            assertThat(((Protocol.Heartbeat) core.message(List.of())).receivedReply()).isEqualTo(new Protocol.ReplyId(1, 1));

            Protocol.Reply withheld = new Protocol.Reply(new Protocol.ReplyId(1, 2), true, 1_000, 0, List.of(assign(A, 1, 0)));
            assertThat(core.onReply(withheld, 1_000 * MS, 1_010 * MS, List.of()).isEmpty()).as("no lease: nothing applied").isTrue();
            core.onReply(reply(3, List.of()), 0, 3_500 * MS, List.of()); // too late

            Protocol.Heartbeat hb = (Protocol.Heartbeat) core.message(List.of());
            assertThat(hb.receivedReply()).isEqualTo(new Protocol.ReplyId(1, 3));
            assertThat(hb.appliedReply()).as("applied: only the first").isEqualTo(new Protocol.ReplyId(1, 1));
            assertThat(core.mayStart(1_100 * MS)).as("the lease of the first reply still holds").isTrue();
        }

        @Test
        @DisplayName("a reply that comes after its own lease ran out renews nothing and applies nothing")
        void lateReply() {
            AgentCore core = registered();
            core.onTime(3_000 * MS);
            AgentCore.Actions late = core.onReply(reply(2, List.of(assign(A, 1, 0))), 1_000 * MS, 4_100 * MS, List.of());
            assertThat(late.isEmpty()).isTrue();
            assertThat(core.fenced()).isTrue();
        }
    }

    @Nested
    @DisplayName("replies")
    class Replies {
        @Test
        @DisplayName("stale generations and copies not desired stop, missing ones start; an older reply changes nothing")
        void reconcile() {
            AgentCore core = registered();
            AgentCore.Actions a = core.onReply(reply(3, List.of(assign(A, 2, 0))), 100 * MS, 100 * MS,
                    List.of(copy(A, 1), copy(B, 1)));
            assertThat(a.stop()).containsExactly(A, B);
            assertThat(a.start()).containsExactly(assign(A, 2, 0));

            AgentCore.Actions older = core.onReply(reply(2, List.of()), 200 * MS, 200 * MS, List.of(copy(A, 2)));
            assertThat(older.isEmpty()).as("overtaken by a newer reply").isTrue();
        }

        @Test
        @DisplayName("a reboot asked since the copy started restarts it, once")
        void reboot() {
            AgentCore core = registered();
            core.onReply(reply(2, List.of(assign(A, 1, 0))), 0, 0, List.of());
            AgentCore.Actions a = core.onReply(reply(3, List.of(assign(A, 1, 1))), 100 * MS, 100 * MS, List.of(copy(A, 1)));
            assertThat(a.reboot()).containsExactly(assign(A, 1, 1));
            AgentCore.Actions again = core.onReply(reply(4, List.of(assign(A, 1, 1))), 200 * MS, 200 * MS, List.of(copy(A, 1)));
            assertThat(again.reboot()).isEmpty();
        }

        @Test
        @DisplayName("copies a previous agent left: those still assigned at their generation are adopted, the others destroyed")
        void leftovers() {
            AgentCore core = new AgentCore(REG);
            core.recovered(List.of(new AgentCore.Leftover(A, 4), new AgentCore.Leftover(B, 1)));
            core.message(List.of());
            AgentCore.Actions a = core.onReply(reply(1, List.of(assign(A, 4, 0), assign(B, 2, 0))), 0, 0, List.of());
            assertThat(a.adopt()).containsExactly(new AgentCore.Leftover(A, 4));
            assertThat(a.discard()).containsExactly(new AgentCore.Leftover(B, 1));
            assertThat(a.start()).as("the adopted copy is not started again").containsExactly(assign(B, 2, 0));
        }
    }

    @Nested
    @DisplayName("what travels")
    class WhatTravels {
        @Test
        @DisplayName("copies travel in full when they change, or when the controller asks; otherwise only their digest")
        void copiesInFullOnlyWhenNeeded() {
            AgentCore core = registered();
            List<AgentCore.Copy> live = List.of(copy(A, 1));
            Protocol.Heartbeat first = (Protocol.Heartbeat) core.message(live);
            Protocol.Heartbeat second = (Protocol.Heartbeat) core.message(live);
            assertThat(first.running()).hasSize(1);
            assertThat(second.running()).as("unchanged").isNull();
            assertThat(second.observedDigest()).isEqualTo(first.observedDigest());

            core.onReply(new Protocol.Reply(new Protocol.ReplyId(1, 2), true, 1_000, 3_000, List.of(), true), 0, 0, live);
            assertThat(((Protocol.Heartbeat) core.message(live)).running()).as("asked for").hasSize(1);
            core.changes(false);
            Protocol.Heartbeat changed = (Protocol.Heartbeat) core.message(List.of(copy(A, 1), copy(B, 1)));
            assertThat(changed.running()).as("changed, to a controller that takes no changes").hasSize(2);
            assertThat(changed.runningChanges()).isNull();
            assertThat(changed.takesChanges()).isNull();
        }

        @Test
        @DisplayName("changed copies travel as changes to the list last sent, when fewer than the copies; the digest is"
                + " that of every copy")
        void copiesAsChanges() {
            AgentCore core = registered();
            Protocol.Heartbeat first = (Protocol.Heartbeat) core.message(List.of(copy(A, 1), copy(B, 1)));
            assertThat(first.running()).as("the first list goes in full").hasSize(2);
            assertThat(first.takesChanges()).isTrue();
            InstanceId c = new InstanceId("i-c");
            List<AgentCore.Copy> now = List.of(copy(A, 2), copy(B, 1), copy(c, 1));
            Protocol.Heartbeat second = (Protocol.Heartbeat) core.message(now);
            assertThat(second.running()).isNull();
            assertThat(second.runningChanges().base()).isEqualTo(first.observedDigest());
            assertThat(second.runningChanges().upserted()).extracting(Protocol.Observed::instance).containsExactlyInAnyOrder(A, c);
            assertThat(second.runningChanges().removed()).isEmpty();
            List<Protocol.Observed> rebuilt = Protocol.apply(first.running(), second.runningChanges().upserted(),
                    second.runningChanges().removed(), Protocol.Observed::instance);
            assertThat(Protocol.digestOfObserved(rebuilt)).isEqualTo(second.observedDigest());

            Protocol.Heartbeat third = (Protocol.Heartbeat) core.message(List.of(copy(B, 1), copy(c, 1)));
            assertThat(third.runningChanges().base()).as("to the list sent last").isEqualTo(second.observedDigest());
            assertThat(third.runningChanges().removed()).containsExactly(A);
            assertThat(((Protocol.Heartbeat) core.message(List.of())).running()).as("every copy changed: in full").isEmpty();
        }

        @Test
        @DisplayName("a reply's changes are applied to the list applied when they are to it and make the list meant;"
                + " otherwise nothing is applied and the next heartbeat asks for the list in full")
        void desiredAsChanges() {
            AgentCore core = registered();
            List<Protocol.Assignment> before = List.of(assign(A, 1, 0), assign(B, 1, 0));
            core.onReply(reply(2, before), 0, 0, List.of());
            InstanceId c = new InstanceId("i-c");
            List<Protocol.Assignment> after = List.of(assign(B, 1, 0), assign(c, 1, 0));
            long base = Protocol.digestOfDesired(before);
            var changes = new Protocol.DesiredChanges(base, Protocol.digestOfDesired(after), List.of(assign(c, 1, 0)), List.of(A));
            AgentCore.Actions a = core.onReply(changed(3, changes), 10 * MS, 10 * MS, List.of(copy(A, 1), copy(B, 1)));
            assertThat(a.stop()).containsExactly(A);
            assertThat(a.start()).containsExactly(assign(c, 1, 0));
            assertThat(core.appliedDesired()).containsExactlyInAnyOrderElementsOf(after);
            assertThat(((Protocol.Heartbeat) core.message(List.of())).desiredDigest()).isEqualTo(Protocol.digestOfDesired(after));

            var wrongBase = new Protocol.DesiredChanges(base, 42, List.of(), List.of(c));
            assertThat(core.onReply(changed(4, wrongBase), 20 * MS, 20 * MS, List.of()).isEmpty())
                    .as("changes to a list this agent no longer holds").isTrue();
            assertThat(core.lastApplied()).as("not applied").isEqualTo(new Protocol.ReplyId(1, 3));
            assertThat(((Protocol.Heartbeat) core.message(List.of())).desiredDigest()).as("asks for the list in full").isZero();

            core.onReply(reply(5, after), 30 * MS, 30 * MS, List.of());
            long applied = Protocol.digestOfDesired(after);
            var wrongResult = new Protocol.DesiredChanges(applied, applied + 1, List.of(), List.of(B));
            assertThat(core.onReply(changed(6, wrongResult), 40 * MS, 40 * MS, List.of()).isEmpty())
                    .as("changes that do not make the list the controller meant").isTrue();
            assertThat(core.appliedDesired()).isEqualTo(after);
            var unknown = new Protocol.DesiredChanges(Protocol.digestOfDesired(List.of()), 7, List.of(), List.of(new InstanceId("i-x")));
            assertThat(core.onReply(changed(7, unknown), 50 * MS, 50 * MS, List.of()).isEmpty()).isTrue();
            assertThat(core.fenced()).as("each of those replies still renewed the lease").isFalse();
        }

        @Test
        @DisplayName("changes by instance: what was added, changed or removed, and applied back; null on a repeated instance")
        void changesByInstance() {
            var a1 = new Protocol.Observed(A, 1, true, null);
            var a2 = new Protocol.Observed(A, 2, true, null);
            var b = new Protocol.Observed(B, 1, false, null);
            Protocol.Changed<Protocol.Observed> c = Protocol.changes(List.of(a1, b), List.of(a2), Protocol.Observed::instance);
            assertThat(c.upserted()).containsExactly(a2);
            assertThat(c.removed()).containsExactly(B);
            assertThat(Protocol.apply(List.of(a1, b), c.upserted(), c.removed(), Protocol.Observed::instance)).containsExactly(a2);
            assertThat(Protocol.changes(List.of(a1, a2), List.of(a1), Protocol.Observed::instance)).isNull();
            assertThat(Protocol.changes(List.of(a1), List.of(a1, a2), Protocol.Observed::instance)).isNull();
            assertThat(Protocol.apply(List.of(a1), List.of(), List.of(B), Protocol.Observed::instance))
                    .as("a removed instance that is not there").isNull();
            assertThat(Protocol.apply(List.of(a1), List.of(b, b), List.of(), Protocol.Observed::instance)).isNull();
            assertThat(Protocol.changes(List.of(a1, b), List.of(b, a1), Protocol.Observed::instance).size())
                    .as("order does not matter").isZero();
        }

        @Test
        @DisplayName("changes applied: a replaced copy keeps its place, new ones come last, removed ones go; removed twice is refused")
        void changesApplied() {
            var c = new InstanceId("i-c");
            var a1 = new Protocol.Observed(A, 1, true, null);
            var a2 = new Protocol.Observed(A, 2, true, null);
            var b1 = new Protocol.Observed(B, 1, false, null);
            var b2 = new Protocol.Observed(B, 2, true, null);
            var c1 = new Protocol.Observed(c, 1, true, null);
            assertThat(Protocol.apply(List.of(a1, b1), List.of(c1, a2), List.of(), Protocol.Observed::instance))
                    .containsExactly(a2, b1, c1);
            assertThat(Protocol.apply(List.of(a1, b1, c1), List.of(b2), List.of(A, B), Protocol.Observed::instance))
                    .as("removed and put back: the new copy comes last").containsExactly(c1, b2);
            assertThat(Protocol.apply(List.of(a1, b1), List.of(), List.of(A, A), Protocol.Observed::instance)).isNull();
            assertThat(Protocol.apply(List.of(), List.of(), List.of(), Protocol.Observed::instance)).isEmpty();
        }

        @Test
        @DisplayName("a reply that leaves the desired list out stands for the list applied: nothing stops, nothing starts")
        void elidedList() {
            AgentCore core = registered();
            List<Protocol.Assignment> desired = List.of(assign(A, 1, 0));
            core.onReply(reply(2, desired), 0, 0, List.of());
            Protocol.Heartbeat hb = (Protocol.Heartbeat) core.message(List.of(copy(A, 1)));
            assertThat(hb.desiredDigest()).isEqualTo(Protocol.digestOfDesired(desired));

            AgentCore.Actions a = core.onReply(reply(3, null), 100 * MS, 100 * MS, List.of(copy(A, 1)));
            assertThat(a.isEmpty()).isTrue();
            assertThat(core.appliedDesired()).isEqualTo(desired);
            AgentCore.Actions afterFence = core.onReply(reply(4, null), 100 * MS, 100 * MS, List.of());
            assertThat(afterFence.start()).as("a copy lost meanwhile starts again").containsExactly(assign(A, 1, 0));
        }

        @Test
        @DisplayName("digests ignore order and never collide on a change of generation, readiness or address")
        void digests() {
            var a = new Protocol.Observed(A, 1, true, "x:1");
            var b = new Protocol.Observed(B, 1, false, null);
            assertThat(Protocol.digestOfObserved(List.of(a, b))).isEqualTo(Protocol.digestOfObserved(List.of(b, a)));
            assertThat(Protocol.digestOfObserved(List.of(a, b))).isNotEqualTo(Protocol.digestOfObserved(
                    List.of(a, new Protocol.Observed(B, 1, true, null))));
            assertThat(Protocol.digestOfObserved(List.of(a))).isNotEqualTo(Protocol.digestOfObserved(
                    List.of(new Protocol.Observed(A, 2, true, "x:1"))));
            assertThat(Protocol.digestOfDesired(List.of())).isNotZero();
        }
    }
}
