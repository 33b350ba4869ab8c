package org.phare.server.store;

import java.util.Objects;

/**
 * Where a member of the control plane serves: its Raft id, its zone and its HTTP address ({@code host:port}).
 * Replicated through the log, so that any member can tell a client where the leader answers.
 */
public record MemberInfo(String id, String zone, String http) {
    public MemberInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(http, "http");
    }
}
