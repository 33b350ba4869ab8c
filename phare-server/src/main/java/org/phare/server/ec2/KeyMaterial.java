package org.phare.server.ec2;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * SSH key pairs for CreateKeyPair and ImportKeyPair, with the JDK's own cryptography: generation (RSA 2048 or
 * Ed25519, the private key in PEM, PKCS#8), OpenSSH public-key lines, and the fingerprints EC2 shows (for a
 * created RSA key, SHA-1 of its PKCS#8 private key; for an imported RSA key, MD5 of its DER public key; for Ed25519,
 * SHA-256 of the OpenSSH key, base64).
 */
final class KeyMaterial {
    /** What a pair is made of: the type, the OpenSSH public line, the fingerprint, and (created only) the private PEM. */
    record Pair(String type, String publicKey, String fingerprint, String privatePem) {
        @Override
        public String toString() {
            return "Pair[" + type + ", " + fingerprint + "]"; // never the private key
        }
    }

    /** Largest public key line accepted by import. */
    static final int MAX_PUBLIC_KEY = 16 * 1024;

    private KeyMaterial() {
    }

    static Pair generate(String type) {
        try {
            return switch (type) {
                case "rsa" -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048);
                    java.security.KeyPair kp = g.generateKeyPair();
                    byte[] pkcs8 = kp.getPrivate().getEncoded();
                    yield new Pair("rsa", rsaLine((RSAPublicKey) kp.getPublic()), colonHex(digest("SHA-1", pkcs8)), pem(pkcs8));
                }
                case "ed25519" -> {
                    java.security.KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                    byte[] x509 = kp.getPublic().getEncoded();
                    byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
                    byte[] blob = blob("ssh-ed25519", raw);
                    yield new Pair("ed25519", "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob),
                            sha256(blob), pem(kp.getPrivate().getEncoded()));
                }
                default -> throw Ec2Error.invalid("Value (" + type + ") for parameter KeyType is invalid. Expected rsa or ed25519.");
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate " + type + " keys", e);
        }
    }

    /**
     * An imported public key: the OpenSSH line ({@code ssh-rsa AAAA... comment} or {@code ssh-ed25519 ...}).
     *
     * @throws Ec2Error {@code InvalidKey.Format} when it is not one
     */
    static Pair parsePublic(String line) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length < 2 || line.length() > MAX_PUBLIC_KEY) {
            throw badFormat();
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw badFormat();
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(blob);
            String type = new String(string(in), StandardCharsets.US_ASCII);
            if (!type.equals(parts[0])) {
                throw badFormat();
            }
            return switch (type) {
                case "ssh-rsa" -> {
                    BigInteger e = new BigInteger(string(in));
                    BigInteger n = new BigInteger(string(in));
                    if (in.hasRemaining() || n.bitLength() < 1024) {
                        throw badFormat();
                    }
                    byte[] der = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)).getEncoded();
                    yield new Pair("rsa", "ssh-rsa " + parts[1], colonHex(digest("MD5", der)), null);
                }
                case "ssh-ed25519" -> {
                    if (string(in).length != 32 || in.hasRemaining()) {
                        throw badFormat();
                    }
                    yield new Pair("ed25519", "ssh-ed25519 " + parts[1], sha256(blob), null);
                }
                default -> throw badFormat();
            };
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException | GeneralSecurityException e) {
            throw badFormat();
        }
    }

    private static Ec2Error badFormat() {
        return new Ec2Error(400, "InvalidKey.Format", "Key is not in valid OpenSSH public key format (ssh-rsa of at least"
                + " 1024 bits, or ssh-ed25519)");
    }

    private static byte[] string(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("bad length");
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private static String rsaLine(RSAPublicKey k) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeString(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
            writeString(out, k.getPublicExponent().toByteArray());
            writeString(out, k.getModulus().toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "ssh-rsa " + Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static byte[] blob(String type, byte[] key) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeString(out, type.getBytes(StandardCharsets.US_ASCII));
            writeString(out, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static String pem(byte[] pkcs8) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n";
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] blob) {
        return Base64.getEncoder().withoutPadding().encodeToString(digest("SHA-256", blob));
    }

    private static String colonHex(byte[] digest) {
        String hex = HexFormat.of().formatHex(digest);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(hex, i, i + 2);
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
