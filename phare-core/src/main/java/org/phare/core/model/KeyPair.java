package org.phare.core.model;

import java.util.Objects;

/**
 * A tenant's SSH key pair. Only the public half is kept: a pair the cloud created gave its private key to the
 * tenant once, in the answer to its creation.
 *
 * @param id          {@code key-} and 17 hex digits, reproducible from the creation sequence
 * @param type        {@code rsa} or {@code ed25519}
 * @param fingerprint as EC2 shows it (colon-separated hex)
 * @param publicKey   the OpenSSH public key line
 */
public record KeyPair(String id, TenantId tenant, String name, String type, String fingerprint, String publicKey,
                      long createdAtMs) {
    public KeyPair {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
    }
}
