package org.phare.core.state;

import org.phare.core.record.ContinuityRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the crisis cell works from, as replay builds it: its meetings with their minutes and decisions, the actions
 * it gave (open and closed), the areas without transport and the parts of the cloud declared down. Part of
 * {@link org.phare.core.state.CloudState}; changes only through {@link #replay}.
 */
public final class CrisisCell {

    /** A meeting; {@code closedAtMs} is 0 while it is open. */
    public record Meeting(int id, String slot, String openedBy, long openedAtMs, long closedAtMs) {
        public boolean open() {
            return closedAtMs == 0;
        }
    }

    /** An action; {@code closedAtMs} is 0 while it is open. */
    public record Action(int id, String text, String owner, long dueMs, int meeting, String openedBy, long openedAtMs,
                         long closedAtMs, String closedBy, String outcome) {
        public boolean open() {
            return closedAtMs == 0;
        }

        Action closed(ContinuityRecord.ActionClosed c) {
            return new Action(id, text, owner, dueMs, meeting, openedBy, openedAtMs, c.atMs(), c.by(), c.outcome());
        }
    }

    /** The primary data, for snapshots. {@code parts}: the last change of each zone or site that has been down. */
    public record Data(List<ContinuityRecord.TransportChanged> transportLost, List<ContinuityRecord.InfrastructureChanged> parts,
                       List<Meeting> meetings, List<ContinuityRecord.MinutesRecorded> minutes, List<Action> actions) {
        public Data {
            transportLost = transportLost == null ? List.of() : List.copyOf(transportLost);
            parts = parts == null ? List.of() : List.copyOf(parts);
            meetings = meetings == null ? List.of() : List.copyOf(meetings);
            minutes = minutes == null ? List.of() : List.copyOf(minutes);
            actions = actions == null ? List.of() : List.copyOf(actions);
        }

        public static final Data EMPTY = new Data(null, null, null, null, null);
    }

    /** Areas without transport, with the record that said so. */
    private final Map<String, ContinuityRecord.TransportChanged> transportLost = new TreeMap<>();
    /** The last change of every zone and site that has been declared down (down, or back), by {@code kind:id}. */
    private final Map<String, ContinuityRecord.InfrastructureChanged> parts = new TreeMap<>();
    private final List<Meeting> meetings = new ArrayList<>();
    /** Derived: the cadence slots meetings held. */
    private final java.util.Set<String> heldSlots = new java.util.HashSet<>();
    private final List<ContinuityRecord.MinutesRecorded> minutes = new ArrayList<>();
    private final Map<Integer, Action> actions = new TreeMap<>();
    /** Derived: how many actions are open. */
    private int openActions;

    void replay(ContinuityRecord record) {
        switch (record) {
            case ContinuityRecord.TransportChanged r -> {
                if (r.lost()) {
                    transportLost.put(r.area(), r);
                } else {
                    transportLost.remove(r.area());
                }
            }
            case ContinuityRecord.InfrastructureChanged r -> parts.put(r.kind() + ":" + r.id(), r);
            case ContinuityRecord.MeetingOpened r -> {
                if (r.meeting() == meetings.size() + 1) {
                    add(new Meeting(r.meeting(), r.slot(), r.by(), r.atMs(), 0));
                }
            }
            case ContinuityRecord.MeetingClosed r -> {
                Meeting m = meeting(r.meeting());
                if (m != null && m.open()) {
                    meetings.set(r.meeting() - 1, new Meeting(m.id(), m.slot(), m.openedBy(), m.openedAtMs(), r.atMs()));
                }
            }
            case ContinuityRecord.MinutesRecorded r -> minutes.add(r);
            case ContinuityRecord.ActionOpened r -> {
                if (actions.putIfAbsent(r.action(), new Action(r.action(), r.text(), r.owner(), r.dueMs(), r.meeting(), r.by(),
                        r.atMs(), 0, null, null)) == null) {
                    openActions++;
                }
            }
            case ContinuityRecord.ActionClosed r -> {
                Action a = actions.get(r.action());
                if (a != null && a.open()) {
                    actions.put(a.id(), a.closed(r));
                    openActions--;
                }
            }
            default -> throw new IllegalArgumentException("not a crisis cell record: " + record.getClass().getSimpleName());
        }
    }

    public Data data() {
        return new Data(List.copyOf(transportLost.values()), List.copyOf(parts.values()), meetings, minutes,
                List.copyOf(actions.values()));
    }

    public static CrisisCell restore(Data data) {
        CrisisCell c = new CrisisCell();
        data.transportLost().forEach(c::replay);
        data.parts().forEach(c::replay);
        for (Meeting m : data.meetings()) {
            if (m.id() != c.meetings.size() + 1) {
                throw new IllegalArgumentException("meeting " + m.id() + " out of sequence in the snapshot");
            }
            c.add(m);
        }
        c.minutes.addAll(data.minutes());
        for (Action a : data.actions()) {
            if (c.actions.putIfAbsent(a.id(), a) != null) {
                throw new IllegalArgumentException("action " + a.id() + " appears twice in the snapshot");
            }
            c.openActions += a.open() ? 1 : 0;
        }
        return c;
    }

    private void add(Meeting m) {
        meetings.add(m);
        if (m.slot() != null) {
            heldSlots.add(m.slot());
        }
    }

    /** A meeting held this slot of the cadence (its label). */
    public boolean held(String slot) {
        return heldSlots.contains(slot);
    }

    public Map<String, ContinuityRecord.TransportChanged> transportLost() {
        return Collections.unmodifiableMap(transportLost);
    }

    /** Zones and sites declared down now, by {@code kind:id}: a new map. */
    public Map<String, ContinuityRecord.InfrastructureChanged> down() {
        Map<String, ContinuityRecord.InfrastructureChanged> out = new TreeMap<>();
        parts.forEach((part, r) -> {
            if (r.down()) {
                out.put(part, r);
            }
        });
        return out;
    }

    /** The last change of a zone or site ({@code kind:id}), down or back, or null if it was never down. */
    public ContinuityRecord.InfrastructureChanged lastChange(String part) {
        return parts.get(part);
    }

    public int openActions() {
        return openActions;
    }

    /**
     * Lines of minutes recorded since {@code sinceMs}, counted back from the latest, up to {@code max}: how full the
     * meeting in progress (or the time since the last one) is, in O(max).
     */
    public int linesSince(long sinceMs, int max) {
        int n = 0;
        for (int i = minutes.size() - 1; i >= 0 && n < max && minutes.get(i).atMs() >= sinceMs; i--) {
            n++;
        }
        return n;
    }

    public List<Meeting> meetings() {
        return Collections.unmodifiableList(meetings);
    }

    /** @return the meeting numbered {@code id} (from 1), or null */
    public Meeting meeting(int id) {
        return id >= 1 && id <= meetings.size() ? meetings.get(id - 1) : null;
    }

    /** The meeting in progress, or null. */
    public Meeting openMeeting() {
        Meeting last = meetings.isEmpty() ? null : meetings.get(meetings.size() - 1);
        return last != null && last.open() ? last : null;
    }

    /** Every line of minutes and decision, oldest first. */
    public List<ContinuityRecord.MinutesRecorded> minutes() {
        return Collections.unmodifiableList(minutes);
    }

    public Map<Integer, Action> actions() {
        return Collections.unmodifiableMap(actions);
    }
}
