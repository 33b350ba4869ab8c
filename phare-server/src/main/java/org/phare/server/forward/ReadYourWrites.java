package org.phare.server.forward;

import java.util.LinkedHashMap;
import java.util.Map;
import org.phare.server.runtime.ControlLoop;

/**
 * Read-your-writes on a member that is not the leader. Every answer carries {@value #LOG_INDEX}: the log index of
 * the state it was answered from (after a write: at least the index of the write's entry). A read may ask to be
 * answered from a state at least that recent: with {@value #MIN_INDEX} (what the CLI's client sends back), or, by
 * access key, from the last write this member forwarded for the key (the native API's {@code consistent=true}, and
 * every EC2 read, since the AWS tools send no such header). The member then waits, at most {@link #WAIT_MS}, until its
 * replica has applied that entry; past that the read is refused ({@link Lagging}, 503) rather than answered stale.
 *
 * <p>The per-key memory is this member's only (a write forwarded by another member is known here only through the
 * header) and bounded: the {@link #MAX_KEYS} keys that wrote last. Thread-safe.
 */
public final class ReadYourWrites {
    /** Answer header: the log index of the state the answer comes from. */
    public static final String LOG_INDEX = "Phare-Log-Index";
    /** Request header: answer from a state holding at least this log index. */
    public static final String MIN_INDEX = "Phare-Min-Index";
    /** How long a read waits for this member to apply what it must see. */
    public static final long WAIT_MS = 5_000;
    static final int MAX_KEYS = 100_000;

    /** This member has not applied, within {@link #WAIT_MS}, the entry a read must see. */
    public static final class Lagging extends RuntimeException {
        Lagging(String message) {
            super(message, null, false, false);
        }
    }

    private final ControlLoop loop;
    private final long waitMs;
    /** The index of each key's last write through this member; least recently written first. Guarded by itself. */
    private final Map<String, Long> lastWrite = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_KEYS;
        }
    };

    public ReadYourWrites(ControlLoop loop) {
        this(loop, WAIT_MS);
    }

    ReadYourWrites(ControlLoop loop, long waitMs) {
        this.loop = loop;
        this.waitMs = waitMs;
    }

    /** The access key {@code keyId} wrote, and the answer came from the state at {@code index}. */
    public void wrote(String keyId, long index) {
        if (keyId == null || index <= 0) {
            return;
        }
        synchronized (lastWrite) {
            lastWrite.merge(keyId, index, Math::max);
        }
    }

    /** The index of the last write of {@code keyId} through this member, or 0. */
    public long lastWrite(String keyId) {
        synchronized (lastWrite) {
            Long index = lastWrite.get(keyId);
            return index == null ? 0 : index;
        }
    }

    /** The log index this member's state holds now: what an answer's {@value #LOG_INDEX} says. */
    public long applied() {
        return loop.replayed();
    }

    /**
     * Returns once this member's state holds the entry {@code index} (at once if {@code index <= 0}).
     *
     * @throws Lagging if it does not within {@link #WAIT_MS}
     */
    public void await(long index) {
        if (index <= 0) {
            return;
        }
        boolean reached;
        try {
            reached = loop.awaitReplayed(index, waitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reached = false;
        }
        if (!reached) {
            throw new Lagging("this member has applied the log up to entry " + loop.replayed() + ", and this read must see"
                    + " entry " + index + " (your last write); it did not catch up within " + waitMs + " ms: retry, or ask"
                    + " another member");
        }
    }

    /**
     * A {@value #MIN_INDEX} header's value: 0 when absent.
     *
     * @throws IllegalArgumentException if it is not a whole number
     */
    public static long parse(String header) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MIN_INDEX + " must be a log index (a whole number), got '" + header + "'");
        }
    }
}
