package org.phare.server.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.ratis.io.MD5Hash;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.phare.api.Json;
import org.phare.api.LegacyStateSnapshot;
import org.phare.core.record.RecordTypes;
import org.phare.core.state.CloudState;
import org.phare.core.state.StateSnapshot;

/**
 * The content of a snapshot file: JSON through {@link Json#mapper()} (Smile, the same document in binary, once the
 * log format is {@link RecordTypes#SMILE_SNAPSHOTS}), with a format number and the log position it describes (checked
 * against the file name on load). Format 2 holds the state by section, each versioned on its own
 * ({@code "compute/1"}); format 1, the first release's, one flat object ({@link LegacyStateSnapshot}). Both are read,
 * in either encoding; format 2 is written.
 *
 * @param format {@link #FORMAT} when written by this release
 * @param term   the term of the entry at {@code index}
 * @param index  the log index: the state is the one after every entry up to and including it
 * @param state  the primary data
 * @param members the members announced through the log up to {@code index} (absent in files of a one-member log)
 */
record SnapshotFile(int format, long term, long index, StateSnapshot state, List<MemberInfo> members) {
    static final int FORMAT = 2;

    SnapshotFile {
        Objects.requireNonNull(state, "state");
        members = members == null ? List.of() : List.copyOf(members);
    }

    /** What a snapshot file gives back. */
    record Loaded(CloudState state, List<MemberInfo> members) {}

    /**
     * JSON, or Smile once the log format is {@link RecordTypes#SMILE_SNAPSHOTS} or more (every member reads it then):
     * about a quarter of the bytes, and less CPU to write, read, hash and send to a follower.
     */
    byte[] encode() throws IOException {
        return (state.cluster().logFormat() >= RecordTypes.SMILE_SNAPSHOTS ? Json.smile() : Json.mapper()).writeValueAsBytes(this);
    }

    /** Whether the bytes are a Smile document (its header, {@code :)\n}). */
    static boolean smile(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == ':' && bytes[1] == ')' && bytes[2] == '\n';
    }

    /** Reads, checks (MD5 when known, format, position) and restores a snapshot file. */
    static Loaded read(Path path, MD5Hash expectedMd5, long term, long index) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        if (expectedMd5 != null && !expectedMd5.equals(MD5Hash.digest(bytes))) {
            throw new IOException("the snapshot " + path + " is corrupt: its MD5 does not match its .md5 file");
        }
        SnapshotFile file;
        try {
            if (smile(bytes)) {
                file = Json.smile().readValue(bytes, SnapshotFile.class);
            } else if (formatFirst(bytes) == FORMAT) {
                // This release's files, read straight into their classes: no tree of the whole state on the way.
                file = Json.mapper().readValue(bytes, SnapshotFile.class);
            } else {
                file = readOlder(path, bytes);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("the snapshot " + path + " cannot be decoded: " + e.getMessage(), e);
        }
        if (file.term() != term || file.index() != index) {
            throw new IOException("the snapshot " + path + " holds the state at " + file.term() + "_" + file.index()
                    + ", not at the position of its name");
        }
        try {
            return new Loaded(CloudState.restore(file.state()), file.members());
        } catch (IllegalArgumentException e) {
            throw new IOException("the snapshot " + path + " is inconsistent: " + e.getMessage(), e);
        }
    }

    /** The format number when it is the file's first field, as this release writes it; 0 otherwise. */
    private static int formatFirst(byte[] bytes) throws IOException {
        try (JsonParser p = Json.mapper().getFactory().createParser(bytes)) {
            if (p.nextToken() == JsonToken.START_OBJECT && p.nextToken() == JsonToken.FIELD_NAME
                    && "format".equals(p.currentName()) && p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
                return p.getIntValue();
            }
            return 0;
        }
    }

    /** A file of another format, or whose format is not its first field: read as a tree first. */
    private static SnapshotFile readOlder(Path path, byte[] bytes) throws IOException {
        JsonNode tree = Json.mapper().readTree(bytes);
        int format = tree.path("format").asInt(0);
        if (format == 1 && tree.has("state")) {
            // The first release's flat state: read as it was, then by section.
            StateSnapshot state = Json.mapper().treeToValue(tree.get("state"), LegacyStateSnapshot.class).toSections();
            ((ObjectNode) tree).remove("state");
            return Json.mapper().treeToValue(((ObjectNode) tree).set("state", Json.mapper().valueToTree(state)),
                    SnapshotFile.class);
        } else if (format == FORMAT) {
            return Json.mapper().treeToValue(tree, SnapshotFile.class);
        }
        throw new IOException("the snapshot " + path + " has format " + format + "; this release reads formats 1 and "
                + FORMAT + ": a newer release wrote it");
    }
}
