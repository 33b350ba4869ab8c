package org.phare.agent.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("An instance record")
class StateFileTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("reads back what was written, quotes and backslashes included, and leaves no temporary file")
    void roundTrip() throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("instance", "i-1");
        fields.put("generation", 12L);
        fields.put("port", 40123);
        fields.put("host", "h \"quoted\" \\ tab\t");
        Path file = dir.resolve("i-1.json");

        StateFile.write(file, fields);

        assertThat(StateFile.read(file)).containsExactly(
                Map.entry("instance", "i-1"), Map.entry("generation", "12"), Map.entry("port", "40123"),
                Map.entry("host", "h \"quoted\" \\ tab\t"));
        assertThat(Files.readString(file)).startsWith("{\"instance\":\"i-1\",\"generation\":12,");
        assertThat(dir.resolve("i-1.json.tmp")).doesNotExist();
    }

    @Test
    @DisplayName("that is not a flat JSON object is refused, naming the field")
    void malformed() throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"pid\":12,\"nested\":{}}");

        assertThatThrownBy(() -> StateFile.read(file))
                .isInstanceOf(IOException.class).hasMessage("field 'nested' is not a plain value");
        Files.writeString(file, "[1, 2]");
        assertThatThrownBy(() -> StateFile.read(file)).isInstanceOf(IOException.class).hasMessage("not a JSON object");
        Files.writeString(file, "{\"pid\": 12");
        assertThatThrownBy(() -> StateFile.read(file)).isInstanceOf(IOException.class).hasMessageStartingWith("not JSON");
    }
}
