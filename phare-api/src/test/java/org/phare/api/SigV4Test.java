package org.phare.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * AWS Signature Version 4 against AWS's published examples (the "aws-sig-v4-test-suite" requests signed with
 * AKIDEXAMPLE at 2015-08-30T12:36:00Z, and the IAM ListUsers example of the signing documentation), then the
 * verifier's refusals, each with the code EC2 answers.
 */
@DisplayName("AWS Signature Version 4")
class SigV4Test {
    static final String KEY = "AKIDEXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final String DATE = "20150830T123600Z";
    static final Instant AT = Instant.parse("2015-08-30T12:36:00Z");
    static final SigV4.Scope SUITE = new SigV4.Scope("20150830", "us-east-1", "service");

    private static SigV4.Request request(String method, String path, String query, String body, String... headers) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        h.add(Map.entry("Host", "example.amazonaws.com"));
        h.add(Map.entry("X-Amz-Date", DATE));
        for (int i = 0; i < headers.length; i += 2) {
            h.add(Map.entry(headers[i], headers[i + 1]));
        }
        return new SigV4.Request(method, path, query, h, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String signatureOf(String authorization) {
        return authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());
    }

    @Nested
    @DisplayName("published examples")
    class Published {
        @Test
        void getVanilla() {
            String auth = SigV4.authorization(request("GET", "/", "", ""), List.of("host", "x-amz-date"), KEY, SECRET, SUITE);
            assertThat(auth).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                    + " SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        }

        @Test
        void getVanillaQueryOrderKeyCase() {
            String auth = SigV4.authorization(request("GET", "/", "Param2=value2&Param1=value1", ""),
                    List.of("host", "x-amz-date"), KEY, SECRET, SUITE);
            assertThat(signatureOf(auth)).isEqualTo("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
        }

        @Test
        void postXWwwFormUrlencoded() {
            SigV4.Request r = request("POST", "/", "", "Param1=value1", "Content-Type", "application/x-www-form-urlencoded");
            List<String> signed = List.of("content-type", "host", "x-amz-date");
            String creq = SigV4.canonicalRequest(r, signed);
            assertThat(creq).isEqualTo("POST\n/\n\ncontent-type:application/x-www-form-urlencoded\n"
                    + "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
                    + "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
            assertThat(SigV4.stringToSign(creq, DATE, SUITE)).isEqualTo("AWS4-HMAC-SHA256\n20150830T123600Z\n"
                    + "20150830/us-east-1/service/aws4_request\n42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281");
            assertThat(signatureOf(SigV4.authorization(r, signed, KEY, SECRET, SUITE)))
                    .isEqualTo("ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
        }

        @Test
        void iamListUsersAndItsDerivedKey() {
            SigV4.Scope iam = new SigV4.Scope("20150830", "us-east-1", "iam");
            assertThat(HexFormat.of().formatHex(SigV4.signingKey(SECRET, iam)))
                    .isEqualTo("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
            SigV4.Request r = new SigV4.Request("GET", "/", "Action=ListUsers&Version=2010-05-08", List.of(
                    Map.entry("Host", "iam.amazonaws.com"),
                    Map.entry("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                    Map.entry("X-Amz-Date", DATE)), new byte[0]);
            assertThat(signatureOf(SigV4.authorization(r, List.of("content-type", "host", "x-amz-date"), KEY, SECRET, iam)))
                    .isEqualTo("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
        }

        @Test
        void canonicalFormsOfPathsQueriesAndHeaders() {
            assertThat(SigV4.canonicalUri("/")).isEqualTo("/");
            assertThat(SigV4.canonicalUri("/%E1%88%B4")).isEqualTo("/%E1%88%B4");
            assertThat(SigV4.canonicalUri("/example space/")).isEqualTo("/example%20space/");
            assertThat(SigV4.canonicalQuery("b=2&a=1&A=0&a=0")).isEqualTo("A=0&a=0&a=1&b=2");
            assertThat(SigV4.canonicalQuery("k=a+b&e=%7e&s=%2F")).isEqualTo("e=~&k=a%20b&s=%2F");
            assertThat(SigV4.canonicalHeaderValue(List.of("  a   b  ", "c"))).isEqualTo("a b,c");
        }
    }

    @Nested
    @DisplayName("verification")
    class Verification {
        private final SigV4.Scope ec2 = new SigV4.Scope("20150830", "eu-west-2", "ec2");

        private SigV4.Request signed(String body, SigV4.Scope scope, String secret) {
            SigV4.Request unsigned = request("POST", "/", "", body, "Content-Type", "application/x-www-form-urlencoded");
            String auth = SigV4.authorization(unsigned, List.of("content-type", "host", "x-amz-date"), KEY, secret, scope);
            List<Map.Entry<String, String>> h = new ArrayList<>(unsigned.headers());
            h.add(Map.entry("Authorization", auth));
            return new SigV4.Request("POST", "/", "", h, unsigned.body());
        }

        private SigV4.Outcome verify(SigV4.Request r, Instant now) {
            return SigV4.verify(r, k -> KEY.equals(k) ? SECRET : null, now, Set.of("eu-west-2"), "ec2");
        }

        private static String code(SigV4.Outcome o) {
            return o instanceof SigV4.Outcome.Refused r ? r.code() : "Verified";
        }

        @Test
        void aSignedRequestIsVerified() {
            assertThat(verify(signed("Action=DescribeRegions&Version=2016-11-15", ec2, SECRET), AT))
                    .isEqualTo(new SigV4.Outcome.Verified(KEY, "eu-west-2"));
            assertThat(verify(signed("x=1", ec2, SECRET), AT.plus(Duration.ofMinutes(14)))).isInstanceOf(SigV4.Outcome.Verified.class);
        }

        @Test
        void aWrongSecretOrATamperedBodyDoesNotMatch() {
            assertThat(code(verify(signed("x=1", ec2, "another secret"), AT))).isEqualTo("SignatureDoesNotMatch");
            SigV4.Request good = signed("Action=TerminateInstances&InstanceId.1=i-1", ec2, SECRET);
            SigV4.Request tampered = new SigV4.Request("POST", "/", "", good.headers(),
                    "Action=TerminateInstances&InstanceId.1=i-2".getBytes(StandardCharsets.UTF_8));
            assertThat(code(verify(tampered, AT))).isEqualTo("SignatureDoesNotMatch");
            List<Map.Entry<String, String>> otherHost = new ArrayList<>(good.headers());
            otherHost.set(0, Map.entry("Host", "example.amazonaws.com:8080"));
            assertThat(code(verify(new SigV4.Request("POST", "/", "", otherHost, good.body()), AT)))
                    .as("the port is part of the signed host").isEqualTo("SignatureDoesNotMatch");
        }

        @Test
        void anUnknownOrRevokedKeyFailsAuthentication() {
            SigV4.Outcome o = SigV4.verify(signed("x=1", ec2, SECRET), k -> null, AT, Set.of("eu-west-2"), "ec2");
            assertThat(code(o)).isEqualTo("AuthFailure");
        }

        @Test
        void aRequestOutsideFifteenMinutesHasExpired() {
            assertThat(code(verify(signed("x=1", ec2, SECRET), AT.plus(Duration.ofMinutes(16))))).isEqualTo("RequestExpired");
            assertThat(code(verify(signed("x=1", ec2, SECRET), AT.minus(Duration.ofMinutes(16))))).isEqualTo("RequestExpired");
        }

        @Test
        void theScopeMustNameAServedRegionTheServiceAndTheRequestDate() {
            assertThat(code(verify(signed("x=1", new SigV4.Scope("20150830", "us-east-1", "ec2"), SECRET), AT))).isEqualTo("AuthFailure");
            assertThat(code(verify(signed("x=1", new SigV4.Scope("20150830", "eu-west-2", "s3"), SECRET), AT))).isEqualTo("AuthFailure");
            assertThat(code(verify(signed("x=1", new SigV4.Scope("20150829", "eu-west-2", "ec2"), SECRET), AT))).isEqualTo("AuthFailure");
        }

        @Test
        void missingOrMalformedPartsFailAuthentication() {
            SigV4.Request good = signed("x=1", ec2, SECRET);
            List<Map.Entry<String, String>> noAuth = new ArrayList<>(good.headers());
            noAuth.removeIf(e -> e.getKey().equals("Authorization"));
            assertThat(code(verify(new SigV4.Request("POST", "/", "", noAuth, good.body()), AT))).isEqualTo("AuthFailure");
            List<Map.Entry<String, String>> noDate = new ArrayList<>(good.headers());
            noDate.removeIf(e -> e.getKey().equals("X-Amz-Date"));
            assertThat(code(verify(new SigV4.Request("POST", "/", "", noDate, good.body()), AT))).isEqualTo("AuthFailure");
            List<Map.Entry<String, String>> noType = new ArrayList<>(good.headers());
            noType.removeIf(e -> e.getKey().equals("Content-Type"));
            assertThat(code(verify(new SigV4.Request("POST", "/", "", noType, good.body()), AT)))
                    .as("a signed header that is missing").isEqualTo("AuthFailure");
            for (String bad : new String[] {"Basic abc", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-2/ec2/aws4_request",
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-2/ec2, SignedHeaders=host;x-amz-date, Signature="
                            + "0".repeat(64)}) {
                List<Map.Entry<String, String>> h = new ArrayList<>(noAuth);
                h.add(Map.entry("Authorization", bad));
                assertThat(code(verify(new SigV4.Request("POST", "/", "", h, good.body()), AT))).as(bad).isEqualTo("AuthFailure");
            }
        }

        @Test
        void malformedDatesSignaturesAndHeaderListsAreRefusedByTheHandWrittenChecks() {
            assertThat(SigV4.parseAmzDate(DATE)).isEqualTo(AT);
            assertThat(SigV4.parseAmzDate("20240229T235959Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
            for (String bad : new String[] {"20150830T123600", "20150830 123600Z", "2015083OT123600Z", "20151330T123600Z",
                    "20150230T123600Z", "20150830T243600Z", "20150830T126000Z", "+0150830T123600Z", "", "20150830T1236000Z"}) {
                assertThat(SigV4.parseAmzDate(bad)).as(bad).isNull();
            }
            SigV4.Request good = signed("x=1", ec2, SECRET);
            String auth = good.header("Authorization").get(0);
            String sig = signatureOf(auth);
            for (String bad : new String[] {
                    auth.replace(sig, sig.toUpperCase(java.util.Locale.ROOT)), // upper-case hex
                    auth.replace(sig, sig.substring(1)), // 63 digits
                    auth.replace(sig, "g" + sig.substring(1)),
                    auth.replace("/20150830/", "/2015083a/"),
                    auth.replace("/20150830/", "/201508300/"),
                    auth.replace("content-type;host;x-amz-date", "host;content-type;x-amz-date"), // not sorted
                    auth.replace("content-type;host;x-amz-date", "content-type;host;host;x-amz-date")}) { // a repeat
                List<Map.Entry<String, String>> h = new ArrayList<>(good.headers());
                h.removeIf(e -> e.getKey().equals("Authorization"));
                h.add(Map.entry("Authorization", bad));
                assertThat(code(verify(new SigV4.Request("POST", "/", "", h, good.body()), AT))).as(bad).isEqualTo("AuthFailure");
            }
            List<Map.Entry<String, String>> badDate = new ArrayList<>(good.headers());
            badDate.replaceAll(e -> e.getKey().equals("X-Amz-Date") ? Map.entry("X-Amz-Date", "20150832T123600Z") : e);
            assertThat(code(verify(new SigV4.Request("POST", "/", "", badDate, good.body()), AT))).isEqualTo("AuthFailure");
        }

        @Test
        void derivedSigningKeysAreKeptPerSecretAndScopeAndStayCorrectPastTheBound() {
            byte[] first = SigV4.signingKey(SECRET, ec2);
            assertThat(SigV4.signingKey(SECRET, ec2)).isEqualTo(first);
            assertThat(SigV4.signingKey("another secret", ec2)).isNotEqualTo(first);
            assertThat(SigV4.signingKey(SECRET, new SigV4.Scope("20150831", "eu-west-2", "ec2"))).isNotEqualTo(first);
            for (int i = 0; i <= SigV4.SIGNING_KEYS_KEPT; i++) {
                SigV4.signingKey("secret " + i, ec2);
            }
            assertThat(SigV4.signingKey(SECRET, ec2)).as("derived again once the cache was emptied").isEqualTo(first);
            assertThat(verify(signed("x=1", ec2, SECRET), AT)).isEqualTo(new SigV4.Outcome.Verified(KEY, "eu-west-2"));
        }

        @Test
        void headerValuesWithTabsOrRunsOfSpacesAreCollapsedAsBefore() {
            assertThat(SigV4.canonicalHeaderValue(List.of("a\tb", "c  d", "e f", "g\n h"))).isEqualTo("a b,c d,e f,g h");
        }
    }
}
