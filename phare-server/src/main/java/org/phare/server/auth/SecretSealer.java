package org.phare.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals access-key secrets before they enter the replicated log, and unseals them to verify signatures: AES-256-GCM
 * under a master key that never enters the log, with the access key's id as associated data, so that a sealed
 * secret is useless without the master key and cannot be moved to another key's record.
 *
 * <p>Signature V4 needs the secret itself (it is an HMAC key), so secrets cannot be hashed: they are encrypted at
 * rest instead. Every member of a group must use the same master key ({@code --secrets-key FILE}); a member alone
 * creates one in its data directory on first start, readable by its owner only.
 *
 * <p>Sealed form: {@code v1:} + base64(12-byte nonce || ciphertext || 16-byte tag). Thread-safe.
 */
public final class SecretSealer {
    static final String PREFIX = "v1:";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random;

    private SecretSealer(byte[] key, SecureRandom random) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a master key is " + KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.random = random;
    }

    /** A sealer with this 32-byte master key. */
    public static SecretSealer of(byte[] masterKey, SecureRandom random) {
        return new SecretSealer(masterKey, Objects.requireNonNull(random, "random"));
    }

    /**
     * The master key in {@code file}, created (32 random bytes, owner read/write only) if it does not exist.
     *
     * @throws IOException if the file cannot be read or created, or does not hold exactly 32 bytes
     */
    public static SecretSealer fromFile(Path file, SecureRandom random) throws IOException {
        if (!Files.exists(file)) {
            // Written whole under another name, then linked into place: a reader never sees a partial key, and of
            // several members creating it at once the first link wins and the others read it.
            byte[] fresh = new byte[KEY_BYTES];
            random.nextBytes(fresh);
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".secrets", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(tmp, fresh, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                // created meanwhile by another member: read theirs
            } finally {
                Arrays.fill(fresh, (byte) 0);
                Files.deleteIfExists(tmp);
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != KEY_BYTES) {
            throw new IOException("the master key " + file + " holds " + bytes.length + " bytes, not " + KEY_BYTES);
        }
        try {
            return new SecretSealer(bytes, random);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * A 32-byte key for another purpose, derived from the master key and {@code label} (HKDF-Expand of RFC 5869 with
     * the master key as the pseudorandom key, one block): every member of a group derives the same key, and no derived
     * key tells anything of the master key or of another label's key.
     */
    public byte[] derive(String label) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            mac.update(label.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    /** Seals {@code secret} for the access key {@code keyId}. */
    public String seal(String keyId, String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /**
     * The secret of {@code keyId}.
     *
     * @throws IllegalArgumentException if {@code sealed} was not sealed for this key id with this master key, or was
     *                                  altered
     */
    public String unseal(String keyId, String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a sealed secret");
        }
        byte[] in;
        try {
            in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a sealed secret");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("not a sealed secret");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("the sealed secret of " + keyId + " does not open with this master key"
                    + " (another key's, altered, or another master key)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }
}
