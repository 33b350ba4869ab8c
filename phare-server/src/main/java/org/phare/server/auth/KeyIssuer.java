package org.phare.server.auth;

import java.security.SecureRandom;
import org.phare.core.control.Command;
import org.phare.core.model.TenantId;

/**
 * Draws access keys: an id ({@code PHK} and 17 upper-case letters or digits) and a 40-character secret from a
 * {@link SecureRandom}, the secret sealed before it goes anywhere near the log. The core has no randomness; this is
 * where it comes from.
 */
public final class KeyIssuer {
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** A new key: the command that records it (secret sealed) and the secret, to show once. */
    public record Issued(Command.CreateAccessKey command, String secret) {
        @Override
        public String toString() {
            return "Issued[" + command.keyId() + "]"; // never the secret
        }
    }

    private final SecretSealer sealer;
    private final SecureRandom random;

    public KeyIssuer(SecretSealer sealer, SecureRandom random) {
        this.sealer = sealer;
        this.random = random;
    }

    public Issued issue(TenantId account) {
        String id = draw(ID_ALPHABET, "PHK", 17);
        String secret = draw(SECRET_ALPHABET, "", 40);
        return new Issued(new Command.CreateAccessKey(account, id, sealer.seal(id, secret)), secret);
    }

    private String draw(String alphabet, String prefix, int n) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
