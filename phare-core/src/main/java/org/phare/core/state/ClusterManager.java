package org.phare.core.state;

import java.util.List;
import org.phare.core.record.ClusterRecord;

/**
 * The cloud's own bookkeeping: the salt its ids derive from, and the log format in force. Replays
 * {@link ClusterRecord}s alone; its snapshot section is {@link Section}.
 */
public final class ClusterManager {
    private long idSalt;
    private int logFormat = 1;

    /**
     * The cluster snapshot section ({@code cluster/1}); a format of 0 (absent) reads as 1, the format every log before
     * format gating had.
     */
    public record Section(long idSalt, int logFormat) {
        public static final Section EMPTY = new Section(0, 1);

        public Section {
            logFormat = Math.max(1, logFormat);
        }
    }

    void replay(ClusterRecord record) {
        switch (record) {
            // Set once, before the first id is derived (the write refuses it afterwards): the first one stands.
            case ClusterRecord.IdSaltSet r -> {
                if (idSalt == 0) {
                    idSalt = r.salt();
                }
            }
            case ClusterRecord.LogFormatRaised r -> logFormat = Math.max(logFormat, r.format());
        }
    }

    Section section() {
        return new Section(idSalt, logFormat);
    }

    static ClusterManager restore(Section s) {
        ClusterManager m = new ClusterManager();
        m.idSalt = s.idSalt();
        m.logFormat = s.logFormat();
        return m;
    }

    void differences(ClusterManager other, List<String> diffs) {
        if (idSalt != other.idSalt) {
            diffs.add("idSalt " + idSalt + " != " + other.idSalt);
        }
        if (logFormat != other.logFormat) {
            diffs.add("log format " + logFormat + " != " + other.logFormat);
        }
    }

    long idSalt() {
        return idSalt;
    }

    int logFormat() {
        return logFormat;
    }
}
