package org.phare.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The continuity tests' shared fixtures. */
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
}
