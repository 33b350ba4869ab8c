package org.phare.core.record;

import java.util.List;

/**
 * The continuity plan and the people: plan versions, the roster and statuses, alert levels and recommendations, closures, transport, parts of the cloud down, and the crisis cell's meetings, minutes and actions.
 * One family of {@link Record}s: a manager of the state replays it alone (see {@code org.phare.core.state}).
 */
public sealed interface ContinuityRecord extends Record {

    /** A version of the continuity plan was applied, by whom and why; it replaces the previous one. */
    record PlanApplied(int version, org.phare.core.continuity.Plan plan, String by, String note, long atMs) implements ContinuityRecord {}

    /**
     * The roster was imported: it replaces the previous one, and people already known keep their status. Holds
     * health data (the at-risk flag, given with consent): only the {@code hr} role reads it back.
     */
    record RosterImported(List<org.phare.core.continuity.Person> people, String by, long atMs) implements ContinuityRecord {}

    /** A person's status changed: onsite, remote, absent or quarantined. */
    record StaffStatusSet(String person, String status, String by, long atMs) implements ContinuityRecord {}

    /**
     * The alert level changed, by whom, why and on what trigger ({@code manual}, or the trigger's kind), with the
     * actions it implied when decided.
     */
    record LevelChanged(int from, int to, String by, String reason, String trigger,
                        org.phare.core.continuity.LevelChange actions, long atMs)
            implements ContinuityRecord, org.phare.core.continuity.Cadence.LevelStep {}

    /** An order closed sites (named, or every site of an area): their people must work remotely. */
    record SitesClosed(List<String> sites, String order, String by, long atMs) implements ContinuityRecord {}

    /** Sites closed by an order open again (the order was lifted): their people may come back. */
    record SitesReopened(List<String> sites, String by, long atMs) implements ContinuityRecord {}

    /**
     * Public transport into an area was lost ({@code lost}) or came back: nobody reaches the offices of that area,
     * whose people must work remotely meanwhile.
     */
    record TransportChanged(String area, boolean lost, String detail, String by, long atMs) implements ContinuityRecord {}

    /**
     * The cloud declared a zone or a datacenter site down (every host of it dead) or back (a host of it ready
     * again). {@code kind} is {@code zone} or {@code site}.
     */
    record InfrastructureChanged(String kind, String id, boolean down, String detail, long atMs) implements ContinuityRecord {}

    /** A meeting of the crisis cell opened; {@code slot} is the cadence slot it holds, null when extraordinary. */
    record MeetingOpened(int meeting, String slot, String by, long atMs) implements ContinuityRecord {}

    record MeetingClosed(int meeting, String by, long atMs) implements ContinuityRecord {}

    /**
     * A line of minutes, or a decision ({@code decision}), in a meeting ({@code meeting} 0: between meetings).
     */
    record MinutesRecorded(int meeting, boolean decision, String text, String by, long atMs) implements ContinuityRecord {}

    /** An action the crisis cell gave to an owner (a person of the roster or a role of the plan), due at a time. */
    record ActionOpened(int action, String text, String owner, long dueMs, int meeting, String by, long atMs)
            implements ContinuityRecord {}

    record ActionClosed(int action, String outcome, String by, long atMs) implements ContinuityRecord {}

    /** A trigger of the plan recommends a level to the crisis cell (a trigger that raises records a LevelChanged). */
    record LevelRecommended(int level, String trigger, String detail, long atMs) implements ContinuityRecord {}
}
