package org.phare.server.store;

import java.util.Objects;

/**
 * Where a member of the control plane serves: its Raft id, its zone and its HTTP address ({@code host:port}), and
 * what it runs: its release and the latest log format it reads. Replicated through the log, so that any member can
 * tell a client where the leader answers, and the leader can tell whether every member reads a log format.
 *
 * @param version      the member's release (null in announcements of the first release)
 * @param maxLogFormat the latest log format it reads (null in announcements of the first release, which read 1)
 */
public record MemberInfo(String id, String zone, String http, String version, Integer maxLogFormat) {
    public MemberInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(http, "http");
        maxLogFormat = maxLogFormat == null ? 1 : maxLogFormat;
    }

    public MemberInfo(String id, String zone, String http) {
        this(id, zone, http, null, null);
    }
}
