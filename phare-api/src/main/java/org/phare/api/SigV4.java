package org.phare.api;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 (header form, {@code AWS4-HMAC-SHA256}): signing a request and verifying one, with the
 * same canonical form on both sides. Pure: no I/O, the clock is a parameter.
 *
 * <p>Verification follows the specification where clients depend on it: the canonical request is built from the
 * raw body (its SHA-256, whatever {@code x-amz-content-sha256} says), the {@code host} header as sent (port
 * included), exactly the headers the client lists in {@code SignedHeaders}, the credential scope (date of the
 * request, a region among those served, the expected service, {@code aws4_request}), a timestamp within
 * {@link #MAX_SKEW} of the clock, and a constant-time comparison of the signatures. An unknown access key and a
 * revoked one are refused alike.
 *
 * <p>The canonical URI is the decoded path, each segment encoded once with RFC 3986's unreserved set (what AWS's
 * test suite and every query-API client send; S3's rules are not needed here).
 */
public final class SigV4 {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** How far a request's timestamp may be from the verifier's clock, either way. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
    private static final HexFormat HEX = HexFormat.of();

    private SigV4() {
    }

    /**
     * A request as it arrived (or is about to leave).
     *
     * @param rawPath  the path as sent, percent-encoded
     * @param rawQuery the query string as sent (without {@code ?}), or empty
     * @param headers  every header as sent; names in any case, a name may repeat
     */
    public record Request(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
                          byte[] body) {
        public Request {
            Objects.requireNonNull(method, "method");
            rawPath = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
            rawQuery = rawQuery == null ? "" : rawQuery;
            headers = List.copyOf(headers);
            body = body == null ? new byte[0] : body;
        }

        /** The values of a header (case-insensitive name), in the order sent. */
        public List<String> header(String name) {
            List<String> values = new ArrayList<>();
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    values.add(h.getValue());
                }
            }
            return values;
        }
    }

    /** Where a signature is valid: the second to fourth parts of its credential. */
    public record Scope(String date, String region, String service) {
        String value() {
            return date + "/" + region + "/" + service + "/aws4_request";
        }
    }

    /** What verification concluded. */
    public sealed interface Outcome {
        /** Signed with the secret of {@code accessKeyId}, in {@code region}. */
        record Verified(String accessKeyId, String region) implements Outcome {}

        /**
         * @param code one of {@code AuthFailure}, {@code SignatureDoesNotMatch}, {@code RequestExpired}: the codes EC2
         *             answers with
         */
        record Refused(String code, String message) implements Outcome {}
    }

    // ---------------------------------------------------------------------------------------------------
    // signing

    /**
     * The {@code Authorization} header value for {@code request}, signed with {@code headersToSign} (lowercase;
     * {@code host} and {@code x-amz-date} must be among them and in the request).
     */
    public static String authorization(Request request, List<String> headersToSign, String accessKeyId,
                                       String secret, Scope scope) {
        List<String> signed = headersToSign.stream().map(h -> h.toLowerCase(Locale.ROOT)).sorted().distinct().toList();
        String amzDate = single(request, "x-amz-date");
        if (amzDate == null) {
            throw new IllegalArgumentException("the request has no single X-Amz-Date header");
        }
        String signature = signature(request, signed, amzDate, secret, scope);
        return ALGORITHM + " Credential=" + accessKeyId + "/" + scope.value() + ", SignedHeaders="
                + String.join(";", signed) + ", Signature=" + signature;
    }

    /** {@code X-Amz-Date}'s form of an instant. */
    public static String amzDate(Instant at) {
        return AMZ_DATE.format(at.atOffset(ZoneOffset.UTC));
    }

    static String signature(Request request, List<String> signedHeaders, String amzDate, String secret, Scope scope) {
        String stringToSign = stringToSign(canonicalRequest(request, signedHeaders), amzDate, scope);
        return HEX.formatHex(hmac(signingKey(secret, scope), stringToSign));
    }

    static String stringToSign(String canonicalRequest, String amzDate, Scope scope) {
        return ALGORITHM + "\n" + amzDate + "\n" + scope.value() + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Signing keys derived lately: the key depends only on the secret and the scope (a day, a region, a service), and
     * its four HMACs were a fifth of a verification. Bounded: emptied when full (a day's keys are derived again).
     */
    private static final java.util.concurrent.ConcurrentHashMap<DerivedFor, byte[]> SIGNING_KEYS = new java.util.concurrent.ConcurrentHashMap<>();
    static final int SIGNING_KEYS_KEPT = 1024;

    private record DerivedFor(String secret, Scope scope) {}

    static byte[] signingKey(String secret, Scope scope) {
        DerivedFor id = new DerivedFor(secret, scope);
        byte[] key = SIGNING_KEYS.get(id);
        if (key == null) {
            if (SIGNING_KEYS.size() >= SIGNING_KEYS_KEPT) {
                SIGNING_KEYS.clear();
            }
            key = deriveSigningKey(secret, scope);
            SIGNING_KEYS.put(id, key);
        }
        return key;
    }

    private static byte[] deriveSigningKey(String secret, Scope scope) {
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scope.date());
        k = hmac(k, scope.region());
        k = hmac(k, scope.service());
        return hmac(k, "aws4_request");
    }

    static String canonicalRequest(Request r, List<String> signedHeaders) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(r.method().toUpperCase(Locale.ROOT)).append('\n');
        sb.append(canonicalUri(r.rawPath())).append('\n');
        sb.append(canonicalQuery(r.rawQuery())).append('\n');
        for (String name : signedHeaders) {
            sb.append(name).append(':').append(canonicalHeaderValue(r.header(name))).append('\n');
        }
        sb.append('\n').append(String.join(";", signedHeaders)).append('\n');
        sb.append(sha256Hex(r.body()));
        return sb.toString();
    }

    static String canonicalUri(String rawPath) {
        StringBuilder sb = new StringBuilder();
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(encode(decode(segments[i], false)));
        }
        String s = sb.toString();
        return s.startsWith("/") ? s : "/" + s;
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = encode(decode(eq < 0 ? pair : pair.substring(0, eq), true));
            String value = eq < 0 ? "" : encode(decode(pair.substring(eq + 1), true));
            sorted.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        List<String> parts = new ArrayList<>();
        sorted.forEach((k, values) -> values.stream().sorted().forEach(v -> parts.add(k + "=" + v)));
        return String.join("&", parts);
    }

    /** Values trimmed, inner runs of spaces collapsed, several values joined by commas. */
    static String canonicalHeaderValue(List<String> values) {
        List<String> trimmed = new ArrayList<>(values.size());
        for (String v : values) {
            String t = v.strip();
            trimmed.add(plain(t) ? t : WHITESPACE.matcher(t).replaceAll(" "));
        }
        return String.join(",", trimmed);
    }

    // ---------------------------------------------------------------------------------------------------
    // verification

    /**
     * Verifies a request's {@code Authorization} header.
     *
     * @param secrets the secret of an active access key, or null for an unknown or revoked one
     * @param regions the regions this endpoint serves (the credential scope must name one)
     * @param service the service name the scope must name ({@code ec2})
     */
    public static Outcome verify(Request request, Function<String, String> secrets, Instant now, Set<String> regions,
                                 String service) {
        List<String> auth = request.header("authorization");
        if (auth.isEmpty()) {
            return refused("AuthFailure", "the request is not signed: an Authorization header (AWS Signature Version 4) is required");
        }
        if (auth.size() > 1) {
            return refused("AuthFailure", "the request has several Authorization headers");
        }
        Parsed p = Parsed.of(auth.get(0));
        if (p == null) {
            return refused("AuthFailure", "the Authorization header is not of the form '" + ALGORITHM
                    + " Credential=KEY/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b, Signature=HEX'");
        }
        String amzDate = single(request, "x-amz-date");
        if (amzDate == null) {
            return refused("AuthFailure", "the request needs exactly one X-Amz-Date header (yyyyMMddTHHmmssZ)");
        }
        Instant at = parseAmzDate(amzDate);
        if (at == null) {
            return refused("AuthFailure", "X-Amz-Date '" + amzDate + "' is not of the form yyyyMMddTHHmmssZ");
        }
        if (Duration.between(at, now).abs().compareTo(MAX_SKEW) > 0) {
            return refused("RequestExpired", "the request was signed at " + amzDate + ", more than "
                    + MAX_SKEW.toMinutes() + " minutes from the server's time " + amzDate(now));
        }
        if (!p.scope().date().equals(amzDate.substring(0, 8))) {
            return refused("AuthFailure", "the credential's date " + p.scope().date() + " is not the request's date "
                    + amzDate.substring(0, 8));
        }
        if (!regions.contains(p.scope().region())) {
            return refused("AuthFailure", "the credential names region '" + p.scope().region() + "'; this endpoint serves "
                    + String.join(", ", new java.util.TreeSet<>(regions)));
        }
        if (!service.equals(p.scope().service())) {
            return refused("AuthFailure", "the credential names service '" + p.scope().service() + "', expected '" + service + "'");
        }
        if (!p.signedHeaders().contains("host") || !p.signedHeaders().contains("x-amz-date")) {
            return refused("AuthFailure", "SignedHeaders must include host and x-amz-date");
        }
        if (!strictlyAscending(p.signedHeaders())) {
            return refused("AuthFailure", "SignedHeaders must be lowercase, sorted and without repeats");
        }
        for (String h : p.signedHeaders()) {
            if (request.header(h).isEmpty()) {
                return refused("AuthFailure", "the signed header '" + h + "' is missing from the request");
            }
        }
        String secret = secrets.apply(p.accessKeyId());
        if (secret == null) {
            return refused("AuthFailure", "AWS was not able to validate the provided access credentials");
        }
        String expected = signature(request, p.signedHeaders(), amzDate, secret, p.scope());
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                p.signature().getBytes(StandardCharsets.US_ASCII))) {
            return refused("SignatureDoesNotMatch", "the request signature we calculated does not match the signature"
                    + " you provided; check your secret access key and signing method");
        }
        return new Outcome.Verified(p.accessKeyId(), p.scope().region());
    }

    /** The parts of an Authorization header. */
    private record Parsed(String accessKeyId, Scope scope, List<String> signedHeaders, String signature) {
        static Parsed of(String header) {
            if (!header.startsWith(ALGORITHM + " ")) {
                return null;
            }
            String credential = null;
            String signed = null;
            String signature = null;
            for (String part : header.substring(ALGORITHM.length() + 1).split(",")) {
                String p = part.strip();
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    return null;
                }
                String value = p.substring(eq + 1);
                switch (p.substring(0, eq)) {
                    case "Credential" -> credential = value;
                    case "SignedHeaders" -> signed = value;
                    case "Signature" -> signature = value;
                    default -> {
                        return null;
                    }
                }
            }
            if (credential == null || signed == null || signature == null || !lowerHex(signature, 64)) {
                return null;
            }
            String[] c = credential.split("/", -1);
            if (c.length != 5 || c[0].isEmpty() || !digits(c[1], 8) || c[2].isEmpty() || c[3].isEmpty()
                    || !"aws4_request".equals(c[4])) {
                return null;
            }
            return new Parsed(c[0], new Scope(c[1], c[2], c[3]), List.of(signed.split(";", -1)), signature);
        }
    }

    private static Outcome refused(String code, String message) {
        return new Outcome.Refused(code, message);
    }

    /** {@code yyyyMMdd'T'HHmmss'Z'} read by hand (the formatter's parse was a tenth of a verification), or null. */
    static Instant parseAmzDate(String s) {
        if (s.length() != 16 || s.charAt(8) != 'T' || s.charAt(15) != 'Z' || !digits(s.substring(0, 8), 8)
                || !digits(s.substring(9, 15), 6)) {
            return null;
        }
        try {
            return LocalDateTime.of(Integer.parseInt(s, 0, 4, 10), Integer.parseInt(s, 4, 6, 10),
                    Integer.parseInt(s, 6, 8, 10), Integer.parseInt(s, 9, 11, 10), Integer.parseInt(s, 11, 13, 10),
                    Integer.parseInt(s, 13, 15, 10)).toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return null; // a month 13, a 30 February, an hour 24
        }
    }

    private static boolean digits(String s, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean lowerHex(String s, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Sorted and without repeats (String order, as {@code sorted().distinct()} would give). */
    private static boolean strictlyAscending(List<String> names) {
        for (int i = 1; i < names.size(); i++) {
            if (names.get(i - 1).compareTo(names.get(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static String single(Request r, String name) {
        List<String> v = r.header(name);
        return v.size() == 1 ? v.get(0).strip() : null;
    }

    // ---------------------------------------------------------------------------------------------------
    // encoding and hashing

    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

    /** No whitespace but single spaces: what {@link #WHITESPACE} would leave as it is (nearly every header). */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) && (c != ' ' || (i + 1 < s.length() && Character.isWhitespace(s.charAt(i + 1))))) {
                return false;
            }
        }
        return true;
    }

    /** RFC 3986 percent-encoding of everything but the unreserved characters, upper-case hex. */
    static String encode(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** Percent-decoding (a malformed escape is kept as it is); {@code +} is a space in a query. */
    static String decode(String s, boolean query) {
        if (s.indexOf('%') < 0 && !(query && s.indexOf('+') >= 0)) {
            return s;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 3;
            } else if (c == '+' && query) {
                out.write(' ');
                i++;
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
