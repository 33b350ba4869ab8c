package org.phare.server.forward;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.phare.api.HttpClients;
import org.phare.api.SigV4;
import org.phare.server.auth.Authenticator;
import org.phare.server.auth.MemberChannel;
import org.phare.server.store.MemberInfo;
import org.phare.server.store.RatisLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any member answers every client: a request that needs the leader (a write) and reached another member is forwarded
 * to the leader, over HTTP to the address the leader announced through the log, as the identity this member verified
 * ({@link MemberChannel}); the leader's answer goes back to the client unchanged (status, headers, body).
 *
 * <p>Bounded everywhere. <b>One hop:</b> the leader serves a forwarded request or answers that it does not lead
 * ({@value #OUTCOME}: {@value #NOT_LEADER}, nothing done); it never forwards it again. <b>Elections:</b> while no
 * member leads (or the leader's controller is still starting, or the leader just died and refuses connections), the
 * request waits for a leader, at most {@link #ELECTION_WAIT_MS}, then {@link Outcome.NoLeader}. These retries are
 * safe because nothing was done. <b>An answer that never comes:</b> once the request has reached a leader, it is
 * never sent twice by this member: if the connection breaks, the answer takes more than {@link #TIMEOUT_MS}, or a new
 * term begins with another leader meanwhile (a leader frozen mid-request), the outcome is {@link Outcome.Unknown}
 * and the client must retry, which a client token makes safe.
 *
 * <p>Agents are not forwarded (see {@code ApiServer}): they know every member, follow the leader hint of a
 * {@code 307}, and must not spend their lease waiting for an election on a member that may be cut off.
 */
public final class Forwarder implements AutoCloseable {
    /** How long a request waits for a leader to emerge. */
    public static final long ELECTION_WAIT_MS = 5_000;
    /** How long the leader may take to answer a forwarded request (its control loop answers within 15 s). */
    public static final long TIMEOUT_MS = 20_000;
    static final long CONNECT_TIMEOUT_MS = 1_000;
    static final long POLL_MS = 50;
    /** Answer header of a member that received a forwarded request and does not lead: nothing was done, try again. */
    public static final String OUTCOME = "Phare-Forward-Outcome";
    public static final String NOT_LEADER = "not-leader";
    /**
     * Header this member adds to a forwarded answer: the leader's address, for a client that knows every member and
     * would rather send its next requests there itself (one hop less). The AWS tools ignore it.
     */
    public static final String LEADER = "Phare-Leader";
    /** The request attribute set on a request a member forwarded here (so that it is not forwarded again). */
    public static final String FORWARDED = "phare.forwarded";
    /** Request headers that go to the leader with the body (every other header is the client's business). */
    private static final List<String> PASSED = List.of("Content-Type", "Accept");
    /** Answer headers that describe the hop, not the answer. */
    private static final Set<String> HOP = Set.of("content-length", "transfer-encoding", "connection", "keep-alive", "date",
            "server", OUTCOME.toLowerCase(Locale.ROOT));
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    /** What became of a forwarded request. */
    public sealed interface Outcome {
        /** The leader's answer, to pass on as it is. */
        record Answered(int status, List<Map.Entry<String, String>> headers, byte[] body) implements Outcome {
            /** The first value of a header (case-insensitive), or null. */
            public String header(String name) {
                return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst()
                        .orElse(null);
            }
        }

        /** No leader emerged within {@link #ELECTION_WAIT_MS}: nothing was done. */
        record NoLeader(String message) implements Outcome {}

        /** The request reached a leader but its answer was lost: it may or may not have been applied. */
        record Unknown(String message) implements Outcome {}
    }

    private final RatisLog log;
    private final MemberChannel channel;
    private final ReadYourWrites reads;
    private final HttpClient http;
    private final long electionWaitMs;
    /** Outcomes so far, and the tries that found no leader to take the request (for /metrics). */
    private final java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong noLeader = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong unknown = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong waits = new java.util.concurrent.atomic.AtomicLong();

    public Forwarder(RatisLog log, MemberChannel channel, ReadYourWrites reads) {
        this(log, channel, reads, ELECTION_WAIT_MS);
    }

    Forwarder(RatisLog log, MemberChannel channel, ReadYourWrites reads, long electionWaitMs) {
        this.log = log;
        this.channel = channel;
        this.reads = reads;
        this.electionWaitMs = electionWaitMs;
        // Members talk plain http to each other (see forward): no TLS context to set up at a member's start.
        this.http = HttpClients.plainHttp11()
                .connectTimeout(Duration.ofMillis(CONNECT_TIMEOUT_MS)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Whether this member leads the log now (a write here is not worth preparing when it does not). */
    public boolean leads() {
        return log.isLeader();
    }

    /**
     * Forwards {@code request}, which {@code p} sent to this member, to the leader, waiting for one to emerge if need be.
     * The index of the leader's answer is remembered as {@code p}'s last write here ({@link ReadYourWrites}).
     */
    public Outcome forward(SigV4.Request request, Authenticator.Principal p) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(electionWaitMs);
        String lastProblem = "no member leads";
        while (true) {
            String leader = log.leaderId();
            MemberInfo target = leader == null ? null : log.announced().get(leader);
            if (target != null) {
                Attempt a = send(request, p, target);
                if (a.outcome() != null) {
                    (a.outcome() instanceof Outcome.Answered ? answered : unknown).incrementAndGet();
                    if (a.outcome() instanceof Outcome.Answered reply) {
                        String index = reply.header(ReadYourWrites.LOG_INDEX);
                        try {
                            reads.wrote(p.accessKeyId(), ReadYourWrites.parse(index));
                        } catch (IllegalArgumentException e) {
                            LOG.warn("the leader answered a forwarded request with an invalid {}: {}", ReadYourWrites.LOG_INDEX, index);
                        }
                    }
                    return a.outcome();
                }
                lastProblem = a.problem();
            }
            waits.incrementAndGet();
            if (System.nanoTime() - deadline > 0) {
                noLeader.incrementAndGet();
                return new Outcome.NoLeader("no leader could take this request within " + electionWaitMs / 1000 + " s: an"
                        + " election is under way, or this member cannot reach a majority of the control plane (last: "
                        + lastProblem + "); nothing was done: retry, or ask another member");
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome.NoLeader("interrupted while waiting for a leader; nothing was done");
            }
        }
    }

    /** One try: an outcome to give the client, or (outcome null) why nothing was done and it is worth trying again. */
    private record Attempt(Outcome outcome, String problem) {}

    private Attempt send(SigV4.Request request, Authenticator.Principal p, MemberInfo target) {
        URI uri;
        try {
            uri = URI.create("http://" + target.http() + request.rawPath()
                    + (request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery()));
        } catch (IllegalArgumentException e) {
            return new Attempt(null, "the leader " + target.id() + " announced an invalid address " + target.http());
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(TIMEOUT_MS))
                .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        for (String name : PASSED) {
            request.header(name).stream().findFirst().ifPresent(v -> b.header(name, v));
        }
        channel.headers(p, request.method(), request.rawPath(), request.rawQuery(), request.body()).forEach(b::header);
        long term = log.term();
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        try {
            while (true) {
                try {
                    HttpResponse<byte[]> r = pending.get(POLL_MS, TimeUnit.MILLISECONDS);
                    if (NOT_LEADER.equals(r.headers().firstValue(OUTCOME).orElse(null))) {
                        return new Attempt(null, "member " + target.id() + " does not lead (yet, or any more)");
                    }
                    List<Map.Entry<String, String>> headers = new ArrayList<>();
                    r.headers().map().forEach((name, values) -> {
                        if (!name.startsWith(":") && !HOP.contains(name.toLowerCase(Locale.ROOT))) {
                            values.forEach(v -> headers.add(Map.entry(name, v)));
                        }
                    });
                    headers.add(Map.entry(LEADER, "http://" + target.http()));
                    return new Attempt(new Outcome.Answered(r.statusCode(), headers, r.body()), null);
                } catch (TimeoutException e) {
                    // A new term with another leader: the one we asked was deposed (or frozen) while it held the request.
                    String now = log.leaderId();
                    if (log.term() > term && now != null && !now.equals(target.id())) {
                        pending.cancel(true);
                        return new Attempt(new Outcome.Unknown("the leader " + target.id() + " was replaced by " + now
                                + " while it handled this request; it may or may not have been applied: retry (a client"
                                + " token makes it safe)"), null);
                    }
                    if (System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS + CONNECT_TIMEOUT_MS)) {
                        pending.cancel(true);
                        return new Attempt(new Outcome.Unknown("the leader " + target.id() + " did not answer within "
                                + TIMEOUT_MS / 1000 + " s; the request may or may not have been applied: retry (a client token"
                                + " makes it safe)"), null);
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (neverConnected(cause)) {
                // Never reached it: a dead leader, or one not listening yet.
                return new Attempt(null, "cannot connect to the leader " + target.id() + " at " + target.http());
            }
            if (cause instanceof java.net.http.HttpTimeoutException) {
                return new Attempt(new Outcome.Unknown("the leader " + target.id() + " did not answer within " + TIMEOUT_MS / 1000
                        + " s; the request may or may not have been applied: retry (a client token makes it safe)"), null);
            }
            return new Attempt(new Outcome.Unknown("the connection to the leader " + target.id() + " broke ("
                    + (cause instanceof IOException ? cause.getMessage() : String.valueOf(cause)) + "); the request may or may"
                    + " not have been applied: retry (a client token makes it safe)"), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(true);
            return new Attempt(new Outcome.Unknown("interrupted while the leader handled the request; it may or may not have"
                    + " been applied"), null);
        }
    }

    /** Requests forwarded and answered by the leader (whatever its answer), since start. */
    public long answered() {
        return answered.get();
    }

    /** Requests given up after {@link #ELECTION_WAIT_MS} without a leader, since start. */
    public long noLeader() {
        return noLeader.get();
    }

    /** Requests whose answer was lost after they reached a leader, since start. */
    public long unknown() {
        return unknown.get();
    }

    /** Tries that found no leader to take a request (each followed by a pause of {@link #POLL_MS}), since start. */
    public long waits() {
        return waits.get();
    }

    private static boolean neverConnected(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
