package org.phare.cli.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phare.api.Credentials;
import org.phare.api.SigV4;

/**
 * Requests that must be refused, over raw HTTP so that each can be broken on purpose: the right code and status,
 * and nothing changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("authentication and authorization")
class Ec2SecurityTest {
    private static final String RUN = "Action=RunInstances&Version=2016-11-15&ImageId=http-echo&InstanceType=tinav5.c1r1&MinCount=1&MaxCount=1";
    private final HttpClient http = HttpClient.newHttpClient();
    private Ec2Cloud cloud;
    private Credentials tenant;
    private Credentials other;
    private Credentials agent;
    private URI endpoint;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        // Room for instanceActionsByRole: up to three instances a case, freed at the stand-in hosts' next beats.
        cloud = new Ec2Cloud(dir, 6, new org.phare.core.model.Resources(32, 65536));
        tenant = cloud.account("acme", "tenant");
        other = cloud.account("globex", "tenant");
        agent = cloud.account("racks", "agent");
        endpoint = URI.create(cloud.url + "/");
    }

    @AfterAll
    void stop() {
        cloud.close();
    }

    /** A POST of {@code body} to the EC2 endpoint, signed as given (null: not signed). */
    private HttpResponse<String> ec2(String body, Credentials c, Instant at, String region, String service) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        if (c != null) {
            c.sign(b, "POST", endpoint, bytes, at, region, service);
        }
        return http.send(b.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> ec2(String body, Credentials c) throws Exception {
        return ec2(body, c, Instant.now(), "eu-west-2", "ec2");
    }

    private static void refused(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains("<Response><Errors><Error><Code>" + code + "</Code>").contains("<RequestID>");
        assertThat(r.headers().firstValue("Date")).as("every answer carries Date").isPresent();
    }

    private int instances() {
        return cloud.api.list("/v1/instances").size();
    }

    @Test
    @DisplayName("EC2: missing, wrong, tampered, expired or mis-scoped signatures; revoked keys; each changes nothing")
    void ec2Refusals() throws Exception {
        int before = instances();
        refused(ec2(RUN, null), 401, "AuthFailure");
        refused(ec2(RUN, new Credentials(tenant.accessKeyId(), "not-the-secret")), 403, "SignatureDoesNotMatch");
        refused(ec2(RUN, new Credentials("PHKNOSUCHKEY0000000", tenant.secret())), 401, "AuthFailure");
        refused(ec2(RUN, tenant, Instant.now().minus(Duration.ofMinutes(16)), "eu-west-2", "ec2"), 400, "RequestExpired");
        refused(ec2(RUN, tenant, Instant.now().plus(Duration.ofMinutes(16)), "eu-west-2", "ec2"), 400, "RequestExpired");
        refused(ec2(RUN, tenant, Instant.now(), "us-east-1", "ec2"), 401, "AuthFailure");
        refused(ec2(RUN, tenant, Instant.now(), "eu-west-2", "s3"), 401, "AuthFailure");

        // Tampered: signed for one instance, sent asking for two.
        byte[] signedBody = RUN.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/x-www-form-urlencoded");
        tenant.sign(b, "POST", endpoint, signedBody, Instant.now(), "eu-west-2", "ec2");
        refused(http.send(b.POST(HttpRequest.BodyPublishers.ofString(RUN.replace("MaxCount=1", "MaxCount=2"))).build(),
                HttpResponse.BodyHandlers.ofString()), 403, "SignatureDoesNotMatch");

        // Signed, then sent without its X-Amz-Date.
        String amzDate = SigV4.amzDate(Instant.now());
        String auth = SigV4.authorization(new SigV4.Request("POST", "/", "", List.of(Map.entry("host", endpoint.getAuthority()),
                Map.entry("x-amz-date", amzDate)), signedBody), List.of("host", "x-amz-date"), tenant.accessKeyId(), tenant.secret(),
                new SigV4.Scope(amzDate.substring(0, 8), "eu-west-2", "ec2"));
        refused(http.send(HttpRequest.newBuilder(endpoint).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofByteArray(signedBody)).build(), HttpResponse.BodyHandlers.ofString()), 401, "AuthFailure");

        // A revoked key stops working at once.
        Credentials revoked = cloud.account("short-lived", "tenant");
        assertThat(ec2("Action=DescribeInstances&Version=2016-11-15", revoked).statusCode()).isEqualTo(200);
        cloud.api.delete("/v1/keys/" + revoked.accessKeyId());
        refused(ec2(RUN, revoked), 401, "AuthFailure");

        assertThat(instances()).as("no refused request created anything").isEqualTo(before);
        // And the same request, signed right, does.
        HttpResponse<String> ok = ec2(RUN, tenant);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).startsWith("<?xml").contains("<RunInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">")
                .contains("<requestId>");
        assertThat(ok.headers().firstValue("Date")).isPresent();
        assertThat(instances()).isEqualTo(before + 1);
    }

    @Test
    @DisplayName("EC2: an agent key is refused; bad values are 400s in EC2's shape, never 500s; oversize runs refused")
    void ec2RolesAndBadValues() throws Exception {
        int before = instances();
        refused(ec2(RUN, agent), 403, "UnauthorizedOperation");
        refused(ec2(RUN.replace("ImageId=http-echo", "ImageId=%20"), tenant), 400, "InvalidParameterValue");
        refused(ec2(RUN.replace("InstanceType=tinav5.c1r1", "InstanceType=%20"), tenant), 400, "InvalidParameterValue");
        refused(ec2(RUN + "&Placement.AvailabilityZone=%20", tenant), 400, "InvalidParameterValue");
        refused(ec2("Action=DescribeImages&Version=2016-11-15&ImageId.1=%20", tenant), 400, "InvalidParameterValue");
        String userData = "A".repeat(21_000);
        refused(ec2(RUN.replace("MaxCount=1", "MaxCount=200") + "&UserData=" + userData, tenant), 400, "InvalidParameterValue");
        StringBuilder many = new StringBuilder("Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=instance-id");
        for (int i = 1; i <= 201; i++) {
            many.append("&Filter.1.Value.").append(i).append("=i-").append(i);
        }
        refused(ec2(many.toString(), tenant), 400, "InvalidParameterValue");
        HttpResponse<String> wild = ec2("Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=instance-id&Filter.1.Value.1="
                + "*".repeat(60) + "!", tenant);
        assertThat(wild.statusCode()).isEqualTo(200);
        assertThat(wild.body()).contains("<reservationSet></reservationSet>");
        assertThat(instances()).isEqualTo(before);
    }

    @Test
    @DisplayName("EC2: unknown and missing actions, other versions")
    void ec2BadRequests() throws Exception {
        refused(ec2("Action=LaunchRockets&Version=2016-11-15", tenant), 400, "InvalidAction");
        refused(ec2("Version=2016-11-15", tenant), 400, "MissingParameter");
        refused(ec2("Action=DescribeInstances", tenant), 400, "MissingParameter");
        refused(ec2("Action=DescribeInstances&Version=2014-01-01", tenant), 400, "InvalidParameterValue");
        refused(ec2("Action=CreateVolume&Version=2016-11-15", tenant), 400, "UnsupportedOperation");
        // Numeric index order, not string order: InstanceId.10 is the tenth.
        StringBuilder ids = new StringBuilder("Action=DescribeInstances&Version=2016-11-15");
        for (int i = 1; i <= 10; i++) {
            ids.append("&InstanceId.").append(i).append(i == 10 ? "=i-bad" : "=i-0123456789abcdef" + (i - 1));
        }
        HttpResponse<String> r = ec2(ids.toString(), tenant);
        refused(r, 400, "InvalidInstanceID.Malformed");
        assertThat(r.body()).contains("i-bad");
    }

    @Test
    @DisplayName("the continuity plan: the crisis cell applies it, HR and auditors read it, tenants do not see it")
    void planRoles() throws Exception {
        Credentials crisis = cloud.account("cell", "crisis");
        Credentials hr = cloud.account("people", "hr");
        Credentials auditor = cloud.account("iso", "auditor");
        String plan = org.phare.api.PlanYaml.defaultPlanText();
        HttpResponse<String> applied = call("PUT", "/v1/plan?note=by%20the%20cell", plan, crisis);
        assertThat(applied.statusCode()).as(applied.body()).isIn(200, 201);
        assertThat(call("GET", "/v1/plan", null, hr).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/v1/plan/history", null, auditor).body()).contains("\"by\":\"cell\"");
        refusedJson(call("PUT", "/v1/plan", plan, hr), 403, "UnauthorizedOperation");
        refusedJson(call("PUT", "/v1/plan", plan, auditor), 403, "UnauthorizedOperation");
        refusedJson(call("GET", "/v1/plan", null, tenant), 403, "UnauthorizedOperation");
        refusedJson(call("GET", "/v1/plan", null, agent), 403, "UnauthorizedOperation");
        refusedJson(call("GET", "/v1/instances", null, crisis), 403, "UnauthorizedOperation");
        refusedJson(call("GET", "/v1/hosts", null, hr), 403, "UnauthorizedOperation");

        // The roster: HR imports it; the at-risk flag reaches HR only, never the crisis cell, auditors or operators.
        String roster = "id,name,roles,site,vpn,mfa,at_risk\np1,Ann,operator,paris-hq,yes,yes,yes\np2,Bea,network,saint-cloud,no,no,no\n";
        refusedJson(call("POST", "/v1/staff", roster, crisis), 403, "UnauthorizedOperation");
        refusedJson(call("POST", "/v1/staff", roster, auditor), 403, "UnauthorizedOperation");
        assertThat(call("POST", "/v1/staff", roster, hr).statusCode()).isEqualTo(201);
        assertThat(call("GET", "/v1/staff", null, hr).body()).contains("\"atRisk\":true");
        for (Credentials who : List.of(crisis, auditor, cloud.operator)) {
            for (String path : List.of("/v1/staff", "/v1/coverage?level=1", "/v1/coverage?level=4&absent=50&noTransport=true")) {
                HttpResponse<String> r = call("GET", path, null, who);
                assertThat(r.statusCode()).as("%s %s", who.accessKeyId(), path).isEqualTo(200);
                assertThat(r.body()).as(path).doesNotContainIgnoringCase("atrisk").doesNotContainIgnoringCase("at_risk")
                        .doesNotContainIgnoringCase("at-risk");
            }
        }
        // From which level the plan wants Ann remote tells that she is at risk: HR only.
        assertThat(call("GET", "/v1/staff", null, hr).body()).contains("\"remoteFromLevel\":1");
        for (Credentials who : List.of(crisis, auditor, cloud.operator)) {
            assertThat(call("GET", "/v1/staff", null, who).body()).doesNotContain("remoteFromLevel");
        }
        assertThat(call("POST", "/v1/staff/p1/status", "{\"status\":\"quarantined\"}", crisis).statusCode()).isEqualTo(200);
        refusedJson(call("POST", "/v1/staff/p1/status", "{\"status\":\"onsite\"}", auditor), 403, "UnauthorizedOperation");
        refusedJson(call("GET", "/v1/staff", null, tenant), 403, "UnauthorizedOperation");
        refusedJson(call("GET", "/v1/coverage", null, tenant), 403, "UnauthorizedOperation");

        // The crisis cell's routes: the cell (and operators) write; HR and auditors read; tenants and agents nothing.
        assertThat(call("POST", "/v1/crisis/meetings", null, crisis).statusCode()).isEqualTo(201);
        assertThat(call("POST", "/v1/crisis/minutes", "{\"text\":\"p1 quarantined\",\"decision\":true}", crisis).statusCode()).isEqualTo(201);
        assertThat(call("POST", "/v1/crisis/actions", "{\"text\":\"cover p1\",\"owner\":\"operator\",\"due\":\"+2h\"}", crisis).statusCode()).isEqualTo(201);
        assertThat(call("POST", "/v1/crisis/meetings/close", null, crisis).statusCode()).isEqualTo(200);
        for (Credentials reader : List.of(hr, auditor)) {
            refusedJson(call("POST", "/v1/crisis/meetings", null, reader), 403, "UnauthorizedOperation");
            refusedJson(call("POST", "/v1/crisis/minutes", "{\"text\":\"x\"}", reader), 403, "UnauthorizedOperation");
            refusedJson(call("POST", "/v1/transport", "{\"area\":\"paris-15\",\"lost\":true,\"reason\":\"x\"}", reader), 403, "UnauthorizedOperation");
            assertThat(call("GET", "/v1/crisis/actions", null, reader).statusCode()).isEqualTo(200);
        }
        for (Credentials stranger : List.of(tenant, agent)) {
            refusedJson(call("GET", "/v1/crisis/sitrep", null, stranger), 403, "UnauthorizedOperation");
            refusedJson(call("GET", "/v1/crisis/meetings", null, stranger), 403, "UnauthorizedOperation");
        }
        for (Credentials who : List.of(crisis, auditor, hr, cloud.operator)) {
            for (String path : List.of("/v1/crisis/sitrep", "/v1/crisis/sitrep?format=md", "/v1/crisis/sitrep?format=html", "/v1/crisis/meetings")) {
                HttpResponse<String> r = call("GET", path, null, who);
                assertThat(r.statusCode()).as("%s %s", who.accessKeyId(), path).isEqualTo(200);
                assertThat(r.body()).as(path).doesNotContainIgnoringCase("atrisk").doesNotContainIgnoringCase("at_risk")
                        .doesNotContain("Ann"); // the report counts people; it names none
            }
        }
    }

    /** Keys of the roles that have no business with instances, made once (names apart from planRoles' accounts). */
    private final Map<String, Credentials> keys = new HashMap<>();

    private Credentials key(String role) {
        return switch (role) {
            case "tenant" -> tenant;
            case "agent" -> agent;
            case "operator" -> cloud.operator;
            default -> keys.computeIfAbsent(role, r -> cloud.account("any-" + r, r));
        };
    }

    static Stream<Arguments> rolesAndInstanceActions() {
        List<Arguments> out = new ArrayList<>();
        for (String role : List.of("crisis", "hr", "auditor", "agent", "tenant", "operator")) {
            for (String action : List.of("run", "start", "stop", "reboot", "terminate", "describe")) {
                out.add(Arguments.of(role, action));
            }
        }
        return out.stream();
    }

    /**
     * Each role and instance action on both APIs, on an instance of the tenant {@code acme}: the tenant (its own) and
     * the operator (everyone's) are served; the crisis cell, HR, auditors and agents are refused with 403
     * UnauthorizedOperation, in each API's shape, and nothing is created or changed.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rolesAndInstanceActions")
    @DisplayName("instance actions: the same rule on the native and the EC2 API")
    void instanceActionsByRole(String role, String action) throws Exception {
        Credentials who = key(role);
        boolean allowed = role.equals("tenant") || role.equals("operator");
        List<String> made = new ArrayList<>();
        try {
            // One target per API: an action served on the first must not leave the second already done.
            String forNative = target(action, made);
            String forEc2 = target(action, made);

            int before = instances();
            String nativeBefore = observed(forNative);
            HttpResponse<String> n = switch (action) {
                case "run" -> call("POST", "/v1/instances", "{\"image\":\"http-echo\",\"type\":\"tinav5.c1r1\"}", who);
                case "terminate" -> call("DELETE", "/v1/instances/" + forNative, null, who);
                case "describe" -> call("GET", "/v1/instances/" + forNative, null, who);
                default -> call("POST", "/v1/instances/" + forNative + "/" + action, null, who);
            };
            made.addAll(ids(n.body()));
            if (allowed) {
                assertThat(n.statusCode()).as(n.body()).isEqualTo(action.equals("run") ? 201 : 200);
                assertThat(observed(forNative)).as("native %s by %s", action, role).isEqualTo(expectedAfter(action, nativeBefore));
            } else {
                refusedJson(n, 403, "UnauthorizedOperation");
                assertThat(observed(forNative)).as("refused: the instance is unchanged").isEqualTo(nativeBefore);
            }
            assertThat(instances()).as("instances after native %s by %s", action, role)
                    .isEqualTo(before + (allowed && action.equals("run") ? 1 : 0));

            before = instances();
            String ec2Before = observed(forEc2);
            String query = switch (action) {
                case "run" -> RUN;
                case "describe" -> "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=" + forEc2;
                default -> "Action=" + Character.toUpperCase(action.charAt(0)) + action.substring(1)
                        + "Instances&Version=2016-11-15&InstanceId.1=" + forEc2;
            };
            HttpResponse<String> e = ec2(query, who);
            made.addAll(ids(e.body()));
            if (allowed) {
                assertThat(e.statusCode()).as(e.body()).isEqualTo(200);
                assertThat(observed(forEc2)).as("EC2 %s by %s", action, role).isEqualTo(expectedAfter(action, ec2Before));
                if (action.equals("describe")) {
                    assertThat(e.body()).contains("<instanceId>" + forEc2 + "</instanceId>");
                }
            } else {
                refused(e, 403, "UnauthorizedOperation");
                assertThat(e.body()).doesNotContain(forEc2);
                assertThat(observed(forEc2)).as("refused: the instance is unchanged").isEqualTo(ec2Before);
            }
            assertThat(instances()).as("instances after EC2 %s by %s", action, role)
                    .isEqualTo(before + (allowed && action.equals("run") ? 1 : 0));
        } finally {
            for (String id : made) {
                cloud.api.delete("/v1/instances/" + id);
            }
        }
    }

    /**
     * EC2's other actions under the same rule: tags and key pairs as instances, the catalogue as on the native API
     * (tenants and operators read it; the crisis cell, HR, auditors and agents do not). A refused action changes
     * nothing: no tag set or removed, no key pair made.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"crisis", "hr", "auditor", "agent", "tenant", "operator"})
    @DisplayName("EC2 tags, key pairs and catalogue: the same rule, and the catalogue as on the native API")
    void otherEc2ActionsByRole(String role) throws Exception {
        Credentials who = key(role);
        boolean allowed = role.equals("tenant") || role.equals("operator");
        List<String> made = new ArrayList<>();
        try {
            String target = target("tag", made);
            String v = "&Version=2016-11-15";
            String tags = "Action=DescribeTags" + v + "&Filter.1.Name=resource-id&Filter.1.Value.1=" + target;
            String key = "key-of-" + role;
            for (String action : List.of("Action=CreateTags" + v + "&ResourceId.1=" + target + "&Tag.1.Key=set-by&Tag.1.Value=" + role,
                    "Action=DeleteTags" + v + "&ResourceId.1=" + target + "&Tag.1.Key=owner",
                    "Action=CreateKeyPair" + v + "&KeyName=" + key, tags, "Action=DescribeKeyPairs" + v,
                    "Action=DescribeInstanceStatus" + v + "&IncludeAllInstances=true", "Action=DescribeRegions" + v,
                    "Action=DescribeAvailabilityZones" + v, "Action=DescribeImages" + v, "Action=DescribeInstanceTypes" + v,
                    "Action=DescribeAccountAttributes" + v)) {
                if (action.startsWith("Action=DeleteTags")) {
                    ec2("Action=CreateTags" + v + "&ResourceId.1=" + target + "&Tag.1.Key=owner&Tag.1.Value=acme", cloud.operator);
                }
                HttpResponse<String> r = ec2(action, who);
                if (allowed) {
                    assertThat(r.statusCode()).as("%s by %s: %s", action, role, r.body()).isEqualTo(200);
                } else {
                    refused(r, 403, "UnauthorizedOperation");
                    assertThat(r.body()).doesNotContain(target);
                }
            }
            String tagged = ec2(tags, cloud.operator).body();
            String keys = ec2("Action=DescribeKeyPairs" + v, cloud.operator).body();
            if (allowed) {
                assertThat(tagged).contains("<key>set-by</key><value>" + role + "</value>").doesNotContain("<key>owner</key>");
                assertThat(keys).contains("<keyName>" + key + "</keyName>");
                assertThat(ec2("Action=DeleteKeyPair" + v + "&KeyName=" + key, who).statusCode()).isEqualTo(200);
            } else {
                assertThat(tagged).as("refused: no tag set, none removed").doesNotContain("set-by").contains("<key>owner</key>");
                assertThat(keys).as("refused: no key pair made").doesNotContain(key);
                refused(ec2("Action=DeleteKeyPair" + v + "&KeyName=" + key, who), 403, "UnauthorizedOperation");
            }
            for (String path : List.of("/v1/regions", "/v1/zones", "/v1/instance-types", "/v1/images")) {
                HttpResponse<String> r = call("GET", path, null, who);
                if (allowed) {
                    assertThat(r.statusCode()).as("GET %s by %s", path, role).isEqualTo(200);
                } else {
                    refusedJson(r, 403, "UnauthorizedOperation");
                }
            }
        } finally {
            for (String id : made) {
                cloud.api.delete("/v1/instances/" + id);
            }
        }
    }

    /** A running instance of acme, made by the operator; stopped first when the action is to start it. */
    private String target(String action, List<String> made) {
        JsonNode created = cloud.api.post("/v1/instances", Map.of("image", "http-echo", "type", "tinav5.c1r1", "tenant", "acme"));
        String id = created.get(0).get("id").asText();
        made.add(id);
        if (action.equals("start")) {
            cloud.api.post("/v1/instances/" + id + "/stop", Map.of());
        }
        return id;
    }

    /** What an instance action changes, as the operator sees it: the desired state and the reboots. */
    private String observed(String id) {
        JsonNode i = cloud.api.get("/v1/instances/" + id);
        return i.get("desired").asText() + ", " + i.get("reboots").asInt() + " reboot(s)";
    }

    private static String expectedAfter(String action, String before) {
        return switch (action) {
            case "start" -> "running, 0 reboot(s)";
            case "stop" -> "stopped, 0 reboot(s)";
            case "terminate" -> "terminated, 0 reboot(s)";
            case "reboot" -> "running, 1 reboot(s)";
            default -> before; // run makes another instance; describe changes nothing
        };
    }

    private static final Pattern INSTANCE_ID = Pattern.compile("\\bi-[0-9a-f]{8}(?:[0-9a-f]{9})?\\b");

    /** The instance ids an answer names (to clean up what a served run made). */
    private static List<String> ids(String body) {
        List<String> out = new ArrayList<>();
        Matcher m = INSTANCE_ID.matcher(body);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** A native-API request signed as given (null: unsigned). */
    private HttpResponse<String> call(String method, String path, String body, Credentials c) throws Exception {
        URI uri = URI.create(cloud.url + path);
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (c != null) {
            c.sign(b, method, uri, bytes, Instant.now());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void refusedJson(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains("\"code\":\"" + code + "\"");
    }

    @Test
    @DisplayName("native API: every route signed, each role to its routes, tenants to their own instances")
    void nativeApi() throws Exception {
        refusedJson(call("GET", "/v1/instances", null, null), 401, "AuthFailure");
        refusedJson(call("GET", "/v1/instances", null, new Credentials(tenant.accessKeyId(), "wrong")), 403, "SignatureDoesNotMatch");
        assertThat(call("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/readyz", null, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/v1/openapi.json", null, null).statusCode()).isEqualTo(200);

        // Tenants: their instances and the catalogue, nothing of the operator's.
        refusedJson(call("GET", "/v1/hosts", null, tenant), 403, "UnauthorizedOperation");
        refusedJson(call("POST", "/v1/accounts", "{\"name\":\"mallory\",\"role\":\"operator\"}", tenant), 403, "UnauthorizedOperation");
        refusedJson(call("GET", "/v1/keys", null, tenant), 403, "UnauthorizedOperation");
        refusedJson(call("POST", "/v1/images", "{\"id\":\"x\",\"kind\":\"http-echo\"}", tenant), 403, "UnauthorizedOperation");
        refusedJson(call("GET", "/v1/cluster", null, tenant), 403, "UnauthorizedOperation");
        refusedJson(call("POST", "/agent/v1/register", "{}", tenant), 403, "UnauthorizedOperation");
        assertThat(call("GET", "/v1/zones", null, tenant).statusCode()).isEqualTo(200);

        HttpResponse<String> created = call("POST", "/v1/instances", "{\"image\":\"http-echo\",\"type\":\"tinav5.c1r1\"}", tenant);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"tenant\":\"acme\"");
        String id = created.body().replaceAll("(?s).*\"id\":\"(i-[0-9a-f]+)\".*", "$1");
        refusedJson(call("POST", "/v1/instances", "{\"image\":\"http-echo\",\"type\":\"tinav5.c1r1\",\"tenant\":\"globex\"}", tenant),
                403, "UnauthorizedOperation");
        refusedJson(call("POST", "/v1/instances", "{\"image\":\"http-echo\",\"type\":\"tinav5.c1r1\",\"priority\":1000}", tenant),
                403, "UnauthorizedOperation");

        // Another tenant: the instance does not exist, word for word.
        HttpResponse<String> theirs = call("GET", "/v1/instances/" + id, null, other);
        HttpResponse<String> unknown = call("GET", "/v1/instances/i-0123456789abcdef0", null, other);
        assertThat(theirs.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(404);
        assertThat(theirs.body().replace(id, "ID")).isEqualTo(unknown.body().replace("i-0123456789abcdef0", "ID"));
        refusedJson(call("DELETE", "/v1/instances/" + id, null, other), 404, "NotFound");
        refusedJson(call("POST", "/v1/instances/" + id + "/stop", null, other), 404, "NotFound");
        assertThat(call("GET", "/v1/instances", null, other).body()).doesNotContain(id);
        assertThat(call("GET", "/v1/instances/" + id, null, tenant).body()).contains("\"desired\":\"running\"");

        // Agents: the agent protocol only.
        refusedJson(call("GET", "/v1/instances", null, agent), 403, "UnauthorizedOperation");
        assertThat(call("POST", "/agent/v1/heartbeat", "{\"host\":\"nope\",\"lastApplied\":0,\"instances\":[]}", agent).statusCode())
                .isNotIn(401, 403);
    }
}
