package org.phare.agent.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The record a driver keeps of each live copy, {@code <dataDir>/instances/<id>.json}: one flat JSON object whose
 * values are strings or integers. Written by hand to keep the agent free of a JSON library; written to a
 * temporary file and renamed, so a crash never leaves half a record.
 */
final class StateFile {
    static final String SUFFIX = ".json";
    static final String TEMP_SUFFIX = ".json.tmp";
    /** A record is a few hundred bytes; anything much larger is not ours. */
    private static final long MAX_BYTES = 64 * 1024;

    private StateFile() {}

    static void write(Path file, Map<String, Object> fields) throws IOException {
        String json = org.phare.api.Json.mapper().writeValueAsString(fields) + "\n";
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, json, StandardCharsets.UTF_8);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads a record: every value as text.
     *
     * @throws IOException if the file cannot be read or is not a flat JSON object
     */
    static Map<String, String> read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException("larger than " + MAX_BYTES + " bytes");
        }
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            node = org.phare.api.Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IOException("not a JSON object");
        }
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new IOException("field '" + e.getKey() + "' is not a plain value");
            }
            fields.put(e.getKey(), e.getValue().asText());
        }
        return fields;
    }
}
