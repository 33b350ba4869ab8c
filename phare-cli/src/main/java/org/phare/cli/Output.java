package org.phare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.phare.api.Json;

/** Readable tables by default, JSON with {@code --output json}. */
final class Output {
    private Output() {}

    /** Every problem of a file, one a line: FILE:LINE:COLUMN: field: message, as compilers print them. */
    static void problems(PrintWriter err, java.nio.file.Path file, List<org.phare.api.YamlFile.Located> problems) {
        for (org.phare.api.YamlFile.Located p : problems) {
            err.println(file + ":" + p.line() + ":" + p.column() + ": " + (p.path().isEmpty() ? "" : p.path() + ": ") + p.message());
        }
    }

    /** One JSON document, indented. */
    static void json(PrintWriter out, JsonNode node) {
        try {
            out.println(Json.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void print(PrintWriter out, String format, List<JsonNode> rows, String... columns) {
        if ("json".equals(format)) {
            try {
                out.println(Json.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        if (!"table".equals(format)) {
            throw new IllegalArgumentException("--output must be table or json, got '" + format + "'");
        }
        List<String[]> cells = new ArrayList<>();
        // A column may name a field inside an object ("resources.vcpus"); its header is the last part.
        cells.add(java.util.Arrays.stream(columns).map(c -> c.substring(c.lastIndexOf('.') + 1)).toArray(String[]::new));
        for (JsonNode row : rows) {
            String[] line = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                JsonNode v = row.at("/" + columns[i].replace('.', '/'));
                v = v.isMissingNode() ? null : v;
                line[i] = v == null || v.isNull() ? "-" : v.isValueNode() ? v.asText() : v.toString();
            }
            cells.add(line);
        }
        int[] width = new int[columns.length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        for (int r = 0; r < cells.size(); r++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < columns.length; i++) {
                String c = r == 0 ? cells.get(r)[i].toUpperCase(java.util.Locale.ROOT) : cells.get(r)[i];
                sb.append(i == 0 ? "" : "  ").append(i == columns.length - 1 ? c : String.format("%-" + width[i] + "s", c));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
