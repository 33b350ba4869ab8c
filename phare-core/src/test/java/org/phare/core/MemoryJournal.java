package org.phare.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.phare.core.control.Journal;
import org.phare.core.record.Record;

/** A {@link Journal} that keeps every appended record in memory, in order. Durable as soon as it returns. */
public final class MemoryJournal implements Journal {
    private final List<Record> records = new ArrayList<>();
    private int batches;

    @Override
    public void append(List<Record> batch) {
        records.addAll(batch);
        batches++;
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
