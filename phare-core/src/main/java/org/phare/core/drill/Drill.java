package org.phare.core.drill;

import java.util.List;
import java.util.Objects;

/**
 * A full-scale exercise, as its file ({@code drill.yaml}) describes it: what it must prove (objectives), where (scope),
 * how the crisis cell learns of it (announcement), when it stops early (stop conditions) and what happens when
 * (the timeline). It is recorded whole in the log when scheduled, so that every member, and a new leader after a
 * failover, runs the same drill.
 *
 * @param name         a short name, for listings and the report
 * @param description  what the exercise stands for (free text, may be empty)
 * @param objectives   what must hold for the exercise to succeed, each checked from the records and the prober
 * @param scope        what the drill may touch and whose instances the prober watches
 * @param announcement the day before, or a surprise
 * @param stop         when the drill ends early, every fault healed
 * @param timeline     the steps, in the order of their offsets
 */
public record Drill(String name, String description, List<Objective> objectives, Scope scope, Announcement announcement,
                    StopConditions stop, List<Step> timeline) {
    /** Longest a drill may last, from its start to its last step's offset plus that step's duration. */
    public static final long MAX_DURATION_MS = 7L * 24 * 3_600_000;
    /** Most steps a drill may hold. */
    public static final int MAX_STEPS = 200;

    public Drill {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        objectives = List.copyOf(objectives);
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(announcement, "announcement");
        stop = stop == null ? StopConditions.NONE : stop;
        timeline = timeline.stream().sorted(java.util.Comparator.comparingLong(Step::atMs)).toList();
    }

    /** When the last step ends, counted from the drill's start: the drill ends then (or when stopped, or aborted). */
    public long durationMs() {
        long end = 0;
        for (Step s : timeline) {
            end = Math.max(end, s.atMs() + s.fault().durationMs());
        }
        return end;
    }

    /** Whether a step acts on the control plane's leader (the drill needs a member to take over). */
    public boolean touchesLeader() {
        return timeline.stream().anyMatch(s -> s.fault() instanceof Fault.LeaderFault);
    }
}
