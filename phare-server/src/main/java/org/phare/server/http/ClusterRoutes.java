package org.phare.server.http;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phare.core.control.Command;
import org.phare.server.runtime.ControlLoop;
import org.phare.server.store.MemberInfo;
import org.phare.server.store.RatisLog;

/**
 * {@code /v1/cluster}: the members of the control plane, their roles and how far each has replicated the log;
 * adding and removing members. The leader has the complete view (it knows every follower's progress), so a
 * follower forwards status requests to it unless asked for its own view ({@code ?local=true}).
 */
final class ClusterRoutes {
    private ClusterRoutes() {
    }

    /** {@code POST /v1/cluster/members}. */
    record AddRequest(String id, String address) {}

    /** {@code POST /v1/cluster/log-format}: the format to raise the log to (absent: the latest every member reads). */
    record FormatRequest(Integer to) {}

    static void register(RoutesConfig r, ControlLoop loop, RatisLog log) {
        r.get("/v1/cluster", ctx -> {
            boolean local = "true".equals(ctx.queryParam("local"));
            if (!local && !log.isLeader() && log.leaderId() != null) {
                throw new ControlLoop.NotLeader();
            }
            ctx.json(status(loop, log));
        });
        r.post("/v1/cluster/members", ctx -> {
            AddRequest req = ApiServer.body(ctx, AddRequest.class);
            if (req.id() == null || req.address() == null) {
                throw new ApiError(400, "MissingParameter", "id and address (HOST:PORT of its Raft port) are required");
            }
            requireLeader(log);
            RatisLog.Peer peer;
            try {
                peer = new RatisLog.Peer(req.id(), req.address());
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "InvalidParameterValue", e.getMessage());
            }
            change(() -> log.addMember(peer));
            ctx.status(201).json(status(loop, log));
        });
        r.post("/v1/cluster/log-format", ctx -> {
            FormatRequest req = ctx.body().isBlank() ? new FormatRequest(null) : ApiServer.body(ctx, FormatRequest.class);
            requireLeader(log);
            int readable = readableByAll(log);
            int to = req.to() == null ? readable : req.to();
            if (to > readable) {
                throw new ApiError(409, "MembersTooOld", "log format " + to + " is not read by every member: "
                        + tooOld(log, to) + ". Replace them with a release that reads it first (see: phare cluster status)");
            }
            String by = Access.principal(ctx).account().value();
            ApiServer.ok(loop.leader(c -> c.submit(new Command.RaiseLogFormat(to, by))));
            ctx.json(status(loop, log));
        });
        r.delete("/v1/cluster/members/{id}", ctx -> {
            requireLeader(log);
            String id = ctx.pathParam("id");
            change(() -> log.removeMember(id));
            ctx.json(status(loop, log));
        });
    }

    private interface Change {
        void run() throws IOException;
    }

    private static void change(Change c) {
        try {
            c.run();
        } catch (IllegalArgumentException e) {
            throw new ApiError(409, "Conflict", e.getMessage());
        } catch (IOException e) {
            throw new ApiError(503, "Unavailable", "the membership change did not complete: " + e.getMessage());
        }
    }

    private static void requireLeader(RatisLog log) {
        if (!log.isLeaderReady()) {
            throw new ControlLoop.NotLeader();
        }
    }

    /**
     * The latest log format every member of the group reads, as they announced it (a member that never announced
     * itself counts as reading format 1 only).
     */
    static int readableByAll(RatisLog log) {
        Map<String, MemberInfo> announced = log.announced();
        int min = Integer.MAX_VALUE;
        for (RatisLog.MemberStatus m : log.status().members()) {
            MemberInfo info = announced.get(m.id());
            min = Math.min(min, info == null ? 1 : info.maxLogFormat());
        }
        return min == Integer.MAX_VALUE ? 1 : min;
    }

    private static String tooOld(RatisLog log, int format) {
        Map<String, MemberInfo> announced = log.announced();
        List<String> old = new ArrayList<>();
        for (RatisLog.MemberStatus m : log.status().members()) {
            MemberInfo info = announced.get(m.id());
            if (info == null || info.maxLogFormat() < format) {
                old.add(m.id() + (info == null ? " (not announced yet)" : " (release " + (info.version() == null ? "unknown"
                        : info.version()) + ", reads up to " + info.maxLogFormat() + ")"));
            }
        }
        return String.join(", ", old);
    }

    /** The documented shape: {@code members}, each with id, zone, role, term, commitIndex, lag. */
    static Map<String, Object> status(ControlLoop loop, RatisLog log) {
        RatisLog.Status s = log.status();
        Map<String, MemberInfo> announced = log.announced();
        long leaderCommit = s.members().stream().filter(m -> m.id().equals(s.leader())).mapToLong(RatisLog.MemberStatus::commitIndex)
                .findFirst().orElse(-1);
        List<Map<String, Object>> members = new ArrayList<>();
        for (RatisLog.MemberStatus m : s.members()) {
            MemberInfo info = announced.get(m.id());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", m.id());
            row.put("zone", info == null ? null : info.zone());
            row.put("role", m.id().equals(s.leader()) ? "leader" : m.id().equals(s.self()) ? s.role() : "follower");
            row.put("term", s.term());
            row.put("commitIndex", m.commitIndex() < 0 ? null : m.commitIndex());
            row.put("lag", m.commitIndex() < 0 || leaderCommit < 0 ? null : Math.max(0, leaderCommit - m.commitIndex()));
            row.put("lastContactMs", m.lastContactMs() < 0 ? null : m.lastContactMs());
            row.put("raft", m.address());
            row.put("http", info == null ? null : info.http());
            row.put("version", info == null ? null : info.version());
            row.put("maxLogFormat", info == null ? null : info.maxLogFormat());
            members.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("self", s.self());
        out.put("leader", s.leader());
        out.put("term", s.term());
        out.put("commitIndex", s.commitIndex());
        out.put("appliedIndex", s.appliedIndex());
        out.put("logStartIndex", log.logStartIndex());
        out.put("snapshotIndex", log.lastSnapshotIndex());
        out.put("activeServices", loop.activeSession() != null);
        out.put("activeSinceMs", loop.activeSession() != null ? loop.activeSinceMs() : null);
        out.put("logFormat", loop.logFormat());
        out.put("logFormatReadableByAll", readableByAll(log));
        out.put("members", members);
        return out;
    }
}
