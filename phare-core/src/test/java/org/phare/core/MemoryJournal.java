package org.phare.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.phare.core.control.Journal;
import org.phare.core.record.Record;
import org.phare.core.state.CloudState;

/**
 * A {@link Journal} that keeps every appended record in memory, in order, and commits at once: each batch is replayed
 * into the committed state it feeds (the one its controller reads) as soon as it is appended.
 */
public final class MemoryJournal implements Journal {
    private final List<Record> records = new ArrayList<>();
    private int batches;
    private CloudState committed;

    /** A journal whose batches nobody replays until {@link #feed} names the committed state. */
    public MemoryJournal() {
    }

    public MemoryJournal(CloudState committed) {
        this.committed = committed;
    }

    /** From now on, committed batches are replayed into {@code state} (a new controller's committed state). */
    public MemoryJournal feed(CloudState state) {
        this.committed = state;
        return this;
    }

    @Override
    public void append(List<Record> batch) {
        records.addAll(batch);
        batches++;
        if (committed != null) {
            committed.replayAll(batch);
        }
    }

    public List<Record> records() {
        return Collections.unmodifiableList(records);
    }

    public int batches() {
        return batches;
    }

    /** Records of one kind, in append order. */
    public <R extends Record> List<R> recordsOf(Class<R> kind) {
        return records.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
