package org.phare.agent.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
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
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(e.getKey())).append(':');
            Object v = e.getValue();
            if (v instanceof Long || v instanceof Integer) {
                json.append(v);
            } else {
                json.append(quote(String.valueOf(v)));
            }
        }
        json.append("}\n");
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
        return new Parser(Files.readString(file, StandardCharsets.UTF_8)).object();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Just enough JSON for a flat object of strings and integers. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Map<String, String> object() throws IOException {
            Map<String, String> fields = new LinkedHashMap<>();
            expect('{');
            skipSpace();
            if (peek() == '}') {
                pos++;
            } else {
                while (true) {
                    String key = string();
                    expect(':');
                    skipSpace();
                    String value = peek() == '"' ? string() : number();
                    fields.put(key, value);
                    skipSpace();
                    char c = next();
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        throw error("expected ',' or '}'");
                    }
                }
            }
            skipSpace();
            if (pos != text.length()) {
                throw error("trailing text");
            }
            return fields;
        }

        private String string() throws IOException {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char esc = next();
                switch (esc) {
                    case '"', '\\', '/' -> b.append(esc);
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            b.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException e) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + esc);
                }
            }
        }

        private String number() throws IOException {
            int start = pos;
            if (pos < text.length() && text.charAt(pos) == '-') {
                pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos == start) {
                throw error("expected a string or an integer");
            }
            return text.substring(start, pos);
        }

        private void expect(char c) throws IOException {
            skipSpace();
            if (next() != c) {
                throw error("expected '" + c + "'");
            }
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private char peek() throws IOException {
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            return text.charAt(pos);
        }

        private char next() throws IOException {
            char c = peek();
            pos++;
            return c;
        }

        private IOException error(String what) {
            return new IOException(what + " at offset " + pos);
        }
    }
}
