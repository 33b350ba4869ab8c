package org.phare.core.control;

import java.util.List;
import org.phare.core.record.Record;

/** The output of a pure write: the records to append and the answer to give once they are committed. */
public record Decision(List<Record> records, Result result) {
    public Decision {
        records = List.copyOf(records);
    }

    public static Decision reject(String code, String message) {
        return new Decision(List.of(), new Result.Rejected(code, message));
    }
}
