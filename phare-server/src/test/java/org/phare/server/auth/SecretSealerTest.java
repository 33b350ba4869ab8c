package org.phare.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSealerTest {
    private static final String KEY_ID = "PHKABCDEFGHIJKLMNOPQ";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    @TempDir
    Path dir;

    @Test
    void aSealedSecretOpensOnlyForItsKeyIdAndMasterKey() throws IOException {
        SecretSealer sealer = SecretSealer.fromFile(dir.resolve("secrets.key"), new SecureRandom());
        String sealed = sealer.seal(KEY_ID, SECRET);
        assertThat(sealed).startsWith("v1:").doesNotContain(SECRET);
        assertThat(sealer.seal(KEY_ID, SECRET)).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(sealer.unseal(KEY_ID, sealed)).isEqualTo(SECRET);

        assertThatThrownBy(() -> sealer.unseal("PHKZZZZZZZZZZZZZZZZZ", sealed))
                .as("moved to another key's record").isInstanceOf(IllegalArgumentException.class);
        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        raw[raw.length - 1] ^= 1;
        String altered = "v1:" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> sealer.unseal(KEY_ID, altered)).isInstanceOf(IllegalArgumentException.class);
        SecretSealer other = SecretSealer.fromFile(dir.resolve("other.key"), new SecureRandom());
        assertThatThrownBy(() -> other.unseal(KEY_ID, sealed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> sealer.unseal(KEY_ID, "plain")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMasterKeyFileIsCreatedOnceForItsOwnerOnlyAndReused() throws IOException {
        Path file = dir.resolve("secrets.key");
        String sealed = SecretSealer.fromFile(file, new SecureRandom()).seal(KEY_ID, SECRET);
        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(SecretSealer.fromFile(file, new SecureRandom()).unseal(KEY_ID, sealed)).isEqualTo(SECRET);
        Files.write(file, new byte[7]);
        assertThatThrownBy(() -> SecretSealer.fromFile(file, new SecureRandom())).isInstanceOf(IOException.class)
                .hasMessageContaining("7 bytes");
    }
}
