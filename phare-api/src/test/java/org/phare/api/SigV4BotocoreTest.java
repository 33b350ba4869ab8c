package org.phare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The verifier against a real client's signer: botocore (the library under the AWS CLI) signs EC2 query requests
 * the way `aws ec2 ...` does, and {@link SigV4#verify} must accept them — and refuse them once tampered. Runs where
 * python3 can import botocore ({@code .ci/run} installs the AWS CLI, which brings it).
 */
@DisplayName("AWS Signature V4 against botocore's signer")
class SigV4BotocoreTest {
    private static final String KEY = "AKIAPHARETEST0000001";
    private static final String SECRET = "s3cr3t/With+Slash=AndPlus0123456789abcdef";

    private static final String SIGNER = """
            import sys
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            key, secret, url, region, body = sys.argv[1:6]
            r = AWSRequest(method="POST", url=url, data=body.encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
            SigV4Auth(Credentials(key, secret), "ec2", region).add_auth(r)
            for name, value in r.headers.items():
                print(name + ": " + value)
            """;

    private static boolean botocore() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import botocore").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The headers botocore would send with {@code body} to {@code http://host/}. */
    private static List<Map.Entry<String, String>> signedByBotocore(String host, String region, String body) throws Exception {
        Process p = new ProcessBuilder("python3", "-c", SIGNER, KEY, SECRET, "http://" + host + "/", region, body).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("botocore signer: " + err).isTrue();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Host", host)); // what the HTTP client sends, and what botocore signed
        for (String line : out.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 2)));
            }
        }
        return headers;
    }

    private static SigV4.Outcome verify(List<Map.Entry<String, String>> headers, String body) {
        return SigV4.verify(new SigV4.Request("POST", "/", "", headers, body.getBytes(StandardCharsets.UTF_8)),
                k -> KEY.equals(k) ? SECRET : null, Instant.now(), Set.of("eu-west-2"), "ec2");
    }

    @Test
    void aRequestSignedByBotocoreIsVerifiedAndATamperedOneIsNot() throws Exception {
        assumeTrue(botocore(), "python3 cannot import botocore (install the AWS CLI)");
        String body = "Action=RunInstances&Version=2016-11-15&ImageId=http-echo&MinCount=1&MaxCount=1"
                + "&TagSpecification.1.Tag.1.Value=a%20b%2Bc%7E";
        List<Map.Entry<String, String>> headers = signedByBotocore("127.0.0.1:7400", "eu-west-2", body);
        assertThat(verify(headers, body)).isEqualTo(new SigV4.Outcome.Verified(KEY, "eu-west-2"));

        assertThat(verify(headers, body.replace("MaxCount=1", "MaxCount=9")))
                .isInstanceOfSatisfying(SigV4.Outcome.Refused.class, r -> assertThat(r.code()).isEqualTo("SignatureDoesNotMatch"));
        List<Map.Entry<String, String>> otherPort = new ArrayList<>(headers);
        otherPort.set(0, Map.entry("Host", "127.0.0.1:7401"));
        assertThat(verify(otherPort, body))
                .isInstanceOfSatisfying(SigV4.Outcome.Refused.class, r -> assertThat(r.code()).isEqualTo("SignatureDoesNotMatch"));
        List<Map.Entry<String, String>> otherRegion = signedByBotocore("127.0.0.1:7400", "us-east-1", body);
        assertThat(verify(otherRegion, body))
                .isInstanceOfSatisfying(SigV4.Outcome.Refused.class, r -> assertThat(r.code()).isEqualTo("AuthFailure"));
    }
}
