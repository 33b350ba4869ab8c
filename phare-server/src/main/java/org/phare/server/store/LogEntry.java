package org.phare.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.phare.api.Json;
import org.phare.core.record.Record;

/**
 * What one state-machine entry of the log holds: a batch of records, or a member's description.
 *
 * <p>A batch carries who decided it: the proposing node, the leader term and activation ({@code session}) its
 * controller was started in, and its rank in that session. A batch is applied only if the log entry that holds
 * it has the term it was decided in: a controller's decision is made against the state of its own leadership,
 * and a batch that reaches the log in a later term (a retry, a deposed leader) is ignored by every member alike.
 *
 * <p>Encoded as JSON: {@code {"term":T,"session":S,"node":"n1","seq":Q,"records":[...]}} or
 * {@code {"member":{...}}}. A bare array is a batch written before the log had several members: always applied.
 */
sealed interface LogEntry {

    /**
     * @param term    the leader term its controller decided in; 0 for a batch with no session (always applied)
     * @param session the controller's activation, see {@code Session}; 0 when none
     * @param node    the proposing node, null when none
     * @param seq     its rank among the session's batches, from 1
     */
    record Batch(long term, long session, String node, long seq, List<Record> records) implements LogEntry {
        public Batch {
            Objects.requireNonNull(records, "records");
        }

        boolean decidedIn(long entryTerm) {
            return term == 0 || term == entryTerm;
        }
    }

    /** A member announcing where it serves: replicated so that every member can point clients to the leader. */
    record Member(MemberInfo info) implements LogEntry {
        public Member {
            Objects.requireNonNull(info, "info");
        }
    }

    static byte[] encode(LogEntry entry) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            switch (entry) {
                case Batch b -> {
                    out.write(("{\"term\":" + b.term() + ",\"session\":" + b.session() + ",\"node\":"
                            + Json.mapper().writeValueAsString(b.node()) + ",\"seq\":" + b.seq() + ",\"records\":")
                            .getBytes(StandardCharsets.UTF_8));
                    out.write(Json.encodeBatch(b.records()));
                    out.write('}');
                }
                case Member m -> {
                    ObjectNode node = Json.mapper().createObjectNode();
                    node.set("member", Json.mapper().valueToTree(m.info()));
                    out.write(Json.mapper().writeValueAsBytes(node));
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a log entry", e);
        }
    }

    /**
     * A batch made of records already encoded, each fragment a JSON array ({@link Json#encodeBatch}) of the records of
     * one decision: the group commit of everything a leader's loop decided in one turn, encoded once, as it was decided.
     * Decodes as a {@link Batch} of all their records, in order.
     */
    static byte[] encodeGroup(long term, long session, String node, long seq, List<byte[]> fragments) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(groupSize(fragments) + 128);
            out.write(("{\"term\":" + term + ",\"session\":" + session + ",\"node\":"
                    + Json.mapper().writeValueAsString(node) + ",\"seq\":" + seq + RECORDS + "[")
                    .getBytes(StandardCharsets.UTF_8));
            boolean first = true;
            for (byte[] f : fragments) {
                if (f.length < 2 || f[0] != '[' || f[f.length - 1] != ']') {
                    throw new IllegalArgumentException("a fragment is a JSON array of records");
                }
                if (f.length == 2) {
                    continue; // no record
                }
                if (!first) {
                    out.write(',');
                }
                out.write(f, 1, f.length - 2);
                first = false;
            }
            out.write(']');
            out.write('}');
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a log entry", e);
        }
    }

    /** An upper bound of the bytes the fragments take in a group, without its header. */
    static int groupSize(List<byte[]> fragments) {
        int n = 2;
        for (byte[] f : fragments) {
            n += f.length;
        }
        return n;
    }

    /** @throws IllegalArgumentException if the bytes are no entry of this log */
    static LogEntry decode(byte[] bytes) {
        try {
            if (bytes.length > 0 && bytes[0] == '[') {
                return new Batch(0, 0, null, 0, Json.decodeBatch(bytes));
            }
            int records = indexOf(bytes, RECORDS.getBytes(StandardCharsets.UTF_8));
            if (records < 0) {
                JsonNode tree = Json.mapper().readTree(bytes);
                if (tree == null || !tree.has("member")) {
                    throw new IllegalArgumentException("neither a batch nor a member");
                }
                // Lenient: a later release may announce more about itself; what a member announces is not replayed state.
                return new Member(Json.mapper().readerFor(MemberInfo.class)
                        .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .readValue(tree.get("member")));
            }
            // {"term":..,"session":..,"node":..,"seq":..,"records":[...]}: the header, then the array as it is.
            byte[] header = new byte[records + 1];
            System.arraycopy(bytes, 0, header, 0, records);
            header[records] = '}';
            JsonNode h = Json.mapper().readTree(header);
            int from = records + RECORDS.length();
            int to = bytes.length - 1;
            if (bytes[to] != '}') {
                throw new IllegalArgumentException("truncated batch");
            }
            byte[] array = new byte[to - from];
            System.arraycopy(bytes, from, array, 0, array.length);
            JsonNode node = h.get("node");
            return new Batch(h.path("term").asLong(), h.path("session").asLong(),
                    node == null || node.isNull() ? null : node.asText(), h.path("seq").asLong(), Json.decodeBatch(array));
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("undecodable log entry: " + e.getMessage(), e);
        }
    }

    /** Where a batch's records start, after its header. */
    String RECORDS = ",\"records\":";

    private static int indexOf(byte[] bytes, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
