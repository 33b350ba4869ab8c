package org.phare.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/** The continuity and drill tests' shared fixtures. */
final class Fixtures {
    private Fixtures() {
    }

    /** {@code roster-fixture.csv}: 14 people and 5 lines to reject, on the default plan's roles and sites. */
    static String roster() {
        try (InputStream in = Fixtures.class.getResourceAsStream("roster-fixture.csv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The line (from 1) where a fragment of the text starts. */
    static int lineOf(String text, String fragment) {
        int at = text.indexOf(fragment);
        assertThat(at).as("fixture contains %s", fragment).isNotNegative();
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    /**
     * A YAML file changed in one place ({@code from} becomes {@code to}, {@code \\n} a new line) has exactly one
     * problem: at this path, with this message, on the first line that the change changed or added.
     */
    static void oneProblemWhereChanged(String valid, String from, String to, Function<String, List<YamlFile.Located>> problems,
                                       String what, String path, String message) {
        String changed = to.replace("\\n", "\n");
        String broken = valid.replace(from.replace("\\n", "\n"), changed);
        assertThat(broken).as("the fixture changed something").isNotEqualTo(valid);
        assertThat(problems.apply(broken)).as(what).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo(path);
            assertThat(p.message()).contains(message);
            String[] before = from.split("\\\\n");
            String[] after = to.split("\\\\n");
            int differs = 0;
            while (differs < before.length && differs < after.length && before[differs].equals(after[differs])) {
                differs++;
            }
            int expected = lineOf(broken, changed) + differs;
            assertThat(p.line()).as("the line of %s", path).isEqualTo(expected);
        });
    }
}
