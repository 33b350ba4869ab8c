package org.phare.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An access key of an account: the id a client sends ({@code PHK} and 17 upper-case letters or digits, in the
 * shape of AWS's access key ids) and its secret, kept only sealed (encrypted by the server with a key that never
 * enters the log), so that the log and its snapshots never hold a usable secret.
 *
 * @param sealedSecret the secret as the server sealed it (opaque here)
 * @param revokedAtMs  when it was revoked, 0 while active
 */
public record AccessKey(String id, TenantId account, String sealedSecret, long createdAtMs, long revokedAtMs) {
    private static final Pattern ID = Pattern.compile("PHK[A-Z0-9]{17}");

    public AccessKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(sealedSecret, "sealedSecret");
        if (!validId(id)) {
            throw new IllegalArgumentException("an access key id is PHK and 17 upper-case letters or digits, got '" + id + "'");
        }
    }

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public boolean active() {
        return revokedAtMs == 0;
    }

    public AccessKey revoked(long atMs) {
        return new AccessKey(id, account, sealedSecret, createdAtMs, atMs);
    }

    /** Never the sealed secret: keys get printed. */
    @Override
    public String toString() {
        return "AccessKey[" + id + " of " + account + (active() ? "" : ", revoked") + "]";
    }
}
