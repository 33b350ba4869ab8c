package org.phare.cli.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.phare.api.Credentials;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.CreateKeyPairResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.KeyType;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagDescription;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.waiters.Ec2Waiter;

/** Every action of the EC2 API, driven by the AWS SDK for Java v2 against a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("the EC2 API, through the AWS SDK for Java v2")
class Ec2SdkTest {
    private static final String IMAGE = "http-echo";
    private static final String TYPE = "tinav5.c1r1";
    private static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHQ9Ehh3ZEyLq6d0k1Jx3cQd2zmZB1Jm1pQ2n8Yk3Vj7 test@phare";

    private Ec2Cloud cloud;
    private Ec2Client acme;
    private Ec2Client globex;
    private Ec2Waiter waiter;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        cloud = new Ec2Cloud(dir, 6);
        Credentials a = cloud.account("acme", "tenant");
        Credentials g = cloud.account("globex", "tenant");
        acme = cloud.ec2(a);
        globex = cloud.ec2(g);
        waiter = Ec2Waiter.builder().client(acme).overrideConfiguration(WaiterOverrideConfiguration.builder()
                .maxAttempts(150).backoffStrategyV2(software.amazon.awssdk.retries.api.BackoffStrategy
                        .fixedDelay(Duration.ofMillis(200))).build()).build();
    }

    @AfterAll
    void stop() {
        acme.close();
        globex.close();
        cloud.close();
    }

    private static String code(ThrowableAssert.ThrowingCallable call) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).as("the call should be refused").isInstanceOf(Ec2Exception.class);
        return ((Ec2Exception) t).awsErrorDetails().errorCode();
    }

    private static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    private RunInstancesResponse run(Ec2Client client, int count, String zone, String token, Tag... tags) {
        RunInstancesRequest.Builder b = RunInstancesRequest.builder().imageId(IMAGE).instanceType(TYPE).minCount(count).maxCount(count);
        if (zone != null) {
            b.placement(p -> p.availabilityZone(zone));
        }
        if (token != null) {
            b.clientToken(token);
        }
        if (tags.length > 0) {
            b.tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build());
        }
        return client.runInstances(b.build());
    }

    private static List<String> ids(RunInstancesResponse r) {
        return r.instances().stream().map(Instance::instanceId).toList();
    }

    private List<Instance> describe(Ec2Client client, Filter... filters) {
        return client.describeInstancesPaginator(r -> r.filters(filters)).reservations().stream()
                .flatMap(res -> res.instances().stream()).toList();
    }

    @Test
    @DisplayName("zones, regions, images, instance types and account attributes")
    void catalogue() {
        List<AvailabilityZone> zones = acme.describeAvailabilityZones().availabilityZones();
        assertThat(zones).extracting(AvailabilityZone::zoneName).containsExactly("eu-west-2a", "eu-west-2b", "eu-west-2c");
        assertThat(zones).allSatisfy(z -> {
            assertThat(z.regionName()).isEqualTo("eu-west-2");
            assertThat(z.stateAsString()).isEqualTo("available");
        });
        assertThat(acme.describeAvailabilityZones(r -> r.zoneNames("eu-west-2b")).availabilityZones()).hasSize(1);
        assertThat(acme.describeAvailabilityZones(r -> r.filters(filter("zone-name", "*c"))).availabilityZones())
                .extracting(AvailabilityZone::zoneName).containsExactly("eu-west-2c");
        assertThat(acme.describeRegions().regions()).singleElement().satisfies(r -> assertThat(r.regionName()).isEqualTo("eu-west-2"));

        assertThat(acme.describeImages().images()).anySatisfy(i -> assertThat(i.imageId()).isEqualTo(IMAGE));
        assertThat(acme.describeImages(r -> r.imageIds(IMAGE)).images()).singleElement()
                .satisfies(i -> assertThat(i.stateAsString()).isEqualTo("available"));
        assertThat(code(() -> acme.describeImages(r -> r.imageIds("ami-0123456789abcdef0")))).isEqualTo("InvalidAMIID.NotFound");

        var types = acme.describeInstanceTypesPaginator(r -> r.maxResults(5)).instanceTypes().stream().toList();
        assertThat(types).extracting(t -> t.instanceTypeAsString()).contains(TYPE, "tinav5.c4r8");
        assertThat(types).filteredOn(t -> t.instanceTypeAsString().equals("tinav5.c2r4")).singleElement().satisfies(t -> {
            assertThat(t.vCpuInfo().defaultVCpus()).isEqualTo(2);
            assertThat(t.memoryInfo().sizeInMiB()).isEqualTo(4096L);
        });
        assertThat(acme.describeInstanceTypes(r -> r.filters(filter("vcpu-info.default-vcpus", "4"))).instanceTypes())
                .singleElement().satisfies(t -> assertThat(t.instanceTypeAsString()).isEqualTo("tinav5.c4r8"));
        assertThat(code(() -> acme.describeInstanceTypes(r -> r.maxResults(4)))).isEqualTo("InvalidParameterValue");

        assertThat(acme.describeAccountAttributes().accountAttributes())
                .anySatisfy(a -> assertThat(a.attributeName()).isEqualTo("supported-platforms"));
        assertThat(code(() -> acme.describeAccountAttributes(r -> r.attributeNamesWithStrings("nope")))).isEqualTo("InvalidParameterValue");
    }

    @Test
    @DisplayName("run with tags, key, user data and zone; wait until running; every filter; the client token")
    void runAndDescribe() {
        acme.createKeyPair(r -> r.keyName("deploy").keyType(KeyType.ED25519));
        RunInstancesRequest request = RunInstancesRequest.builder().imageId(IMAGE).instanceType(TYPE).minCount(2).maxCount(2)
                .placement(p -> p.availabilityZone("eu-west-2b")).keyName("deploy")
                .userData(Base64.getEncoder().encodeToString("#!/bin/sh\necho hello\n".getBytes()))
                .clientToken("run-and-describe-1")
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("env").value("prod").build(), Tag.builder().key("team").value("web").build()).build())
                .build();
        RunInstancesResponse run = acme.runInstances(request);
        assertThat(run.reservationId()).matches("r-[0-9a-f]{17}");
        assertThat(run.ownerId()).isEqualTo("acme");
        assertThat(run.instances()).hasSize(2).allSatisfy(i -> {
            assertThat(i.instanceId()).matches("i-[0-9a-f]{17}");
            assertThat(i.state().code()).isZero();
            assertThat(i.state().name()).isEqualTo(InstanceStateName.PENDING);
            assertThat(i.placement().availabilityZone()).isEqualTo("eu-west-2b");
            assertThat(i.keyName()).isEqualTo("deploy");
            assertThat(i.instanceTypeAsString()).isEqualTo(TYPE);
            assertThat(i.launchTime()).isNotNull();
            assertThat(i.tags()).extracting(Tag::key, Tag::value).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("env", "prod"), org.assertj.core.groups.Tuple.tuple("team", "web"));
        });
        assertThat(run.instances()).extracting(Instance::amiLaunchIndex).containsExactly(0, 1);
        List<String> ids = ids(run);

        var running = waiter.waitUntilInstanceRunning(r -> r.instanceIds(ids));
        assertThat(running.matched().response()).hasValueSatisfying(d -> assertThat(d.reservations()).singleElement()
                .satisfies(res -> assertThat(res.instances()).allSatisfy(i -> assertThat(i.state().code()).isEqualTo(16))));

        // The same token and parameters: the same reservation, nothing new.
        RunInstancesResponse again = acme.runInstances(request);
        assertThat(again.reservationId()).isEqualTo(run.reservationId());
        assertThat(ids(again)).isEqualTo(ids);
        assertThat(code(() -> acme.runInstances(request.toBuilder().instanceType("tinav5.c2r4").build())))
                .isEqualTo("IdempotentParameterMismatch");

        assertThat(describe(acme, filter("tag:env", "prod"))).extracting(Instance::instanceId).containsAll(ids);
        assertThat(describe(acme, filter("tag:env", "prod"), filter("tag:team", "web"), filter("instance-state-name", "running"),
                filter("availability-zone", "eu-west-2b"), filter("instance-type", TYPE), filter("image-id", IMAGE),
                filter("key-name", "deploy"), filter("reservation-id", run.reservationId())))
                .extracting(Instance::instanceId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(describe(acme, filter("tag-key", "team"), filter("tag-value", "we?"))).extracting(Instance::instanceId)
                .containsAll(ids);
        assertThat(describe(acme, filter("instance-id", ids.get(0)))).extracting(Instance::instanceId).containsExactly(ids.get(0));
        assertThat(describe(acme, filter("tag:env", "staging"))).isEmpty();
        assertThat(describe(acme, filter("availability-zone", "eu-west-2a", "eu-west-2c"))).extracting(Instance::instanceId)
                .doesNotContainAnyElementsOf(ids);
        assertThat(describe(acme, filter("instance-state-code", "16"), filter("instance-id", ids.toArray(String[]::new)))).hasSize(2);
        assertThat(code(() -> acme.describeInstances(r -> r.filters(filter("no-such-filter", "x"))))).isEqualTo("InvalidParameterValue");

        List<InstanceStatus> status = acme.describeInstanceStatus(r -> r.instanceIds(ids)).instanceStatuses();
        assertThat(status).hasSize(2).allSatisfy(s -> {
            assertThat(s.instanceState().name()).isEqualTo(InstanceStateName.RUNNING);
            assertThat(s.instanceStatus().statusAsString()).isEqualTo("ok");
            assertThat(s.systemStatus().statusAsString()).isEqualTo("ok");
            assertThat(s.availabilityZone()).isEqualTo("eu-west-2b");
        });
        assertThat(acme.describeInstanceStatus(r -> r.filters(filter("instance-status.status", "ok"))).instanceStatuses())
                .extracting(InstanceStatus::instanceId).containsAll(ids);
    }

    @Test
    @DisplayName("pagination: MaxResults and NextToken give every instance once; a bad token is refused")
    void pagination() {
        Set<String> mine = new HashSet<>(ids(run(acme, 7, null, null, Tag.builder().key("batch").value("pages").build())));
        List<String> seen = acme.describeInstancesPaginator(r -> r.maxResults(5).filters(filter("tag:batch", "pages")))
                .reservations().stream().flatMap(res -> res.instances().stream()).map(Instance::instanceId).toList();
        assertThat(seen).hasSize(7).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(mine);
        var first = acme.describeInstances(r -> r.maxResults(5).filters(filter("tag:batch", "pages")));
        assertThat(first.reservations().stream().mapToInt(res -> res.instances().size()).sum()).isEqualTo(5);
        assertThat(first.nextToken()).isNotBlank();
        var statuses = acme.describeInstanceStatusPaginator(r -> r.maxResults(5).includeAllInstances(true)
                .filters(filter("instance-state-name", "pending", "running"))).instanceStatuses().stream()
                .map(InstanceStatus::instanceId).collect(Collectors.toSet());
        assertThat(statuses).containsAll(mine);
        assertThat(code(() -> acme.describeInstances(r -> r.maxResults(5).nextToken("bm90LWEtdG9rZW4")))).isEqualTo("InvalidPaginationToken");
        assertThat(code(() -> acme.describeInstances(r -> r.maxResults(3)))).isEqualTo("InvalidParameterValue");
        assertThat(code(() -> acme.describeInstances(r -> r.maxResults(5).instanceIds(mine.iterator().next()))))
                .isEqualTo("InvalidParameterCombination");
    }

    @Test
    @DisplayName("stop, start, reboot and terminate, with the waiters; terminated instances stay visible")
    void lifecycle() {
        List<String> ids = ids(run(acme, 1, "eu-west-2a", null));
        waiter.waitUntilInstanceRunning(r -> r.instanceIds(ids));

        var stopped = acme.stopInstances(r -> r.instanceIds(ids)).stoppingInstances();
        assertThat(stopped).singleElement().satisfies(c -> {
            assertThat(c.previousState().name()).isEqualTo(InstanceStateName.RUNNING);
            assertThat(c.currentState().name()).isEqualTo(InstanceStateName.STOPPING);
        });
        waiter.waitUntilInstanceStopped(r -> r.instanceIds(ids));
        assertThat(code(() -> acme.rebootInstances(r -> r.instanceIds(ids)))).isEqualTo("IncorrectInstanceState");

        var started = acme.startInstances(r -> r.instanceIds(ids)).startingInstances();
        assertThat(started).singleElement().satisfies(c -> assertThat(c.previousState().name()).isEqualTo(InstanceStateName.STOPPED));
        waiter.waitUntilInstanceRunning(r -> r.instanceIds(ids));
        acme.rebootInstances(r -> r.instanceIds(ids));

        var terminated = acme.terminateInstances(r -> r.instanceIds(ids)).terminatingInstances();
        assertThat(terminated).singleElement().satisfies(c -> {
            assertThat(c.previousState().name()).isEqualTo(InstanceStateName.RUNNING);
            assertThat(c.currentState().name()).isIn(InstanceStateName.SHUTTING_DOWN, InstanceStateName.TERMINATED);
        });
        waiter.waitUntilInstanceTerminated(r -> r.instanceIds(ids));
        assertThat(acme.describeInstances(r -> r.instanceIds(ids)).reservations().get(0).instances().get(0).state().code()).isEqualTo(48);
        assertThat(code(() -> acme.startInstances(r -> r.instanceIds(ids)))).isEqualTo("IncorrectInstanceState");
    }

    @Test
    @DisplayName("MinCount: all or nothing, InsufficientInstanceCapacity and not one instance more")
    void minCount() {
        int before = describe(acme).size();
        assertThat(code(() -> run(acme, 1000, null, null))).isEqualTo("InsufficientInstanceCapacity");
        assertThat(describe(acme)).hasSize(before);
        assertThat(code(() -> acme.runInstances(r -> r.imageId(IMAGE).instanceType(TYPE).minCount(3).maxCount(2))))
                .isEqualTo("InvalidParameterValue");
        assertThat(code(() -> acme.runInstances(r -> r.instanceType(TYPE).minCount(1).maxCount(1)))).isEqualTo("MissingParameter");
        assertThat(code(() -> acme.runInstances(r -> r.imageId("ami-nope").instanceType(TYPE).minCount(1).maxCount(1))))
                .isEqualTo("InvalidAMIID.NotFound");
        assertThat(code(() -> acme.runInstances(r -> r.imageId(IMAGE).instanceType(TYPE).minCount(1).maxCount(1).keyName("absent"))))
                .isEqualTo("InvalidKeyPair.NotFound");
        assertThat(code(() -> acme.runInstances(r -> r.imageId(IMAGE).instanceType(TYPE).minCount(1).maxCount(1)
                .placement(p -> p.availabilityZone("eu-west-2z"))))).isEqualTo("InvalidParameterValue");
        assertThat(describe(acme)).hasSize(before);
    }

    @Test
    @DisplayName("tags: create, describe with filters, delete by key or by key and value")
    void tags() {
        String id = ids(run(acme, 1, null, null)).get(0);
        String key = acme.createKeyPair(r -> r.keyName("tagged")).keyPairId();
        acme.createTags(r -> r.resources(id, key).tags(Tag.builder().key("owner").value("ops").build(),
                Tag.builder().key("cost").value("42").build()));
        List<TagDescription> tags = acme.describeTagsPaginator(r -> r.maxResults(5).filters(filter("resource-id", id, key)))
                .tags().stream().toList();
        assertThat(tags).extracting(TagDescription::resourceId, TagDescription::key, TagDescription::value).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(id, "cost", "42"), org.assertj.core.groups.Tuple.tuple(id, "owner", "ops"),
                org.assertj.core.groups.Tuple.tuple(key, "cost", "42"), org.assertj.core.groups.Tuple.tuple(key, "owner", "ops"));
        assertThat(acme.describeTags(r -> r.filters(filter("resource-id", key), filter("key", "owner"))).tags()).singleElement()
                .satisfies(t -> assertThat(t.resourceTypeAsString()).isEqualTo("key-pair"));

        acme.deleteTags(r -> r.resources(id).tags(Tag.builder().key("owner").value("someone-else").build()));
        acme.deleteTags(r -> r.resources(id).tags(Tag.builder().key("cost").build()));
        assertThat(acme.describeTags(r -> r.filters(filter("resource-id", id))).tags()).extracting(TagDescription::key)
                .containsExactly("owner");
        assertThat(code(() -> acme.createTags(r -> r.resources("i-0123456789abcdef0").tags(Tag.builder().key("a").value("b").build()))))
                .isEqualTo("InvalidInstanceID.NotFound");
        assertThat(code(() -> acme.createTags(r -> r.resources(id).tags(Tag.builder().key("aws:x").value("b").build()))))
                .isEqualTo("InvalidParameterValue");
    }

    @Test
    @DisplayName("key pairs: create (rsa, ed25519), import, describe, duplicates and unknown names, delete")
    void keyPairs() {
        CreateKeyPairResponse rsa = acme.createKeyPair(r -> r.keyName("rsa-key"));
        assertThat(rsa.keyMaterial()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(rsa.keyFingerprint()).matches("([0-9a-f]{2}:){19}[0-9a-f]{2}");
        assertThat(rsa.keyPairId()).matches("key-[0-9a-f]{17}");
        assertThat(acme.createKeyPair(r -> r.keyName("ed-key").keyType(KeyType.ED25519)).keyMaterial()).contains("PRIVATE KEY");
        assertThat(code(() -> acme.createKeyPair(r -> r.keyName("rsa-key")))).isEqualTo("InvalidKeyPair.Duplicate");

        var imported = acme.importKeyPair(r -> r.keyName("laptop").publicKeyMaterial(SdkBytes.fromUtf8String(ED25519)));
        assertThat(imported.keyPairId()).matches("key-[0-9a-f]{17}");
        assertThat(code(() -> acme.importKeyPair(r -> r.keyName("bad").publicKeyMaterial(SdkBytes.fromUtf8String("ssh-rsa nope")))))
                .isEqualTo("InvalidKey.Format");

        var described = acme.describeKeyPairs(r -> r.keyNames("laptop").includePublicKey(true)).keyPairs();
        assertThat(described).singleElement().satisfies(k -> {
            assertThat(k.keyTypeAsString()).isEqualTo("ed25519");
            assertThat(k.publicKey()).isEqualTo(ED25519.substring(0, ED25519.lastIndexOf(' ')));
            assertThat(k.keyFingerprint()).isEqualTo(imported.keyFingerprint());
        });
        assertThat(acme.describeKeyPairs(r -> r.filters(filter("key-name", "*-key"))).keyPairs()).hasSize(2);
        assertThat(code(() -> acme.describeKeyPairs(r -> r.keyNames("absent")))).isEqualTo("InvalidKeyPair.NotFound");

        acme.deleteKeyPair(r -> r.keyName("laptop"));
        acme.deleteKeyPair(r -> r.keyPairId(rsa.keyPairId()));
        assertThat(code(() -> acme.describeKeyPairs(r -> r.keyNames("laptop")))).isEqualTo("InvalidKeyPair.NotFound");
        assertThat(code(() -> acme.describeKeyPairs(r -> r.keyPairIds(rsa.keyPairId())))).isEqualTo("InvalidKeyPair.NotFound");
        acme.deleteKeyPair(r -> r.keyName("laptop")); // deleting what is gone is not an error, as in EC2
    }

    @Test
    @DisplayName("tenant isolation: another tenant's instances, key pairs and tags answer exactly like unknown ones")
    void isolation() {
        List<String> ids = ids(run(acme, 1, null, null, Tag.builder().key("secret").value("acme").build()));
        String id = ids.get(0);
        acme.createKeyPair(r -> r.keyName("acme-only"));
        String unknown = "i-0fedcba9876543210";

        assertThat(describe(globex)).extracting(Instance::instanceId).doesNotContain(id);
        Ec2Exception mine = (Ec2Exception) org.assertj.core.api.Assertions.catchThrowable(() -> globex.describeInstances(r -> r.instanceIds(id)));
        Ec2Exception none = (Ec2Exception) org.assertj.core.api.Assertions.catchThrowable(() -> globex.describeInstances(r -> r.instanceIds(unknown)));
        assertThat(mine.awsErrorDetails().errorCode()).isEqualTo(none.awsErrorDetails().errorCode()).isEqualTo("InvalidInstanceID.NotFound");
        assertThat(mine.statusCode()).isEqualTo(none.statusCode());
        assertThat(mine.awsErrorDetails().errorMessage().replace(id, "ID")).isEqualTo(none.awsErrorDetails().errorMessage().replace(unknown, "ID"));

        assertThat(code(() -> globex.terminateInstances(r -> r.instanceIds(id)))).isEqualTo("InvalidInstanceID.NotFound");
        assertThat(code(() -> globex.stopInstances(r -> r.instanceIds(id)))).isEqualTo("InvalidInstanceID.NotFound");
        assertThat(code(() -> globex.rebootInstances(r -> r.instanceIds(id)))).isEqualTo("InvalidInstanceID.NotFound");
        assertThat(code(() -> globex.describeInstanceStatus(r -> r.instanceIds(id)))).isEqualTo("InvalidInstanceID.NotFound");
        assertThat(code(() -> globex.createTags(r -> r.resources(id).tags(Tag.builder().key("x").value("y").build()))))
                .isEqualTo("InvalidInstanceID.NotFound");
        assertThat(code(() -> globex.deleteTags(r -> r.resources(id)))).isEqualTo("InvalidInstanceID.NotFound");
        assertThat(globex.describeTags().tags()).extracting(TagDescription::resourceId).doesNotContain(id);
        assertThat(globex.describeInstances(r -> r.filters(filter("tag:secret", "acme"))).reservations()).isEmpty();
        assertThat(code(() -> globex.describeKeyPairs(r -> r.keyNames("acme-only")))).isEqualTo("InvalidKeyPair.NotFound");
        globex.deleteKeyPair(r -> r.keyName("acme-only"));
        assertThat(acme.describeKeyPairs(r -> r.keyNames("acme-only")).keyPairs()).hasSize(1);
        // The same name is free for another tenant.
        globex.createKeyPair(r -> r.keyName("acme-only"));

        // Nothing of acme's changed.
        Instance after = acme.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
        assertThat(after.state().name()).isIn(InstanceStateName.PENDING, InstanceStateName.RUNNING);
        assertThat(after.tags()).extracting(Tag::key).containsExactly("secret");
    }

    @Test
    @DisplayName("malformed and unknown ids, unsupported actions")
    void errors() {
        assertThat(code(() -> acme.describeInstances(r -> r.instanceIds("i-xyz")))).isEqualTo("InvalidInstanceID.Malformed");
        assertThat(code(() -> acme.terminateInstances(r -> r.instanceIds("vol-0123")))).isEqualTo("InvalidInstanceID.Malformed");
        assertThat(code(() -> acme.describeInstances(r -> r.instanceIds("i-0123456789abcdef0")))).isEqualTo("InvalidInstanceID.NotFound");
        assertThat(code(() -> acme.terminateInstances(r -> r.instanceIds(List.of())))).isEqualTo("MissingParameter");
        assertThat(code(() -> acme.describeVpcs())).isEqualTo("UnsupportedOperation");
        Ec2Exception e = (Ec2Exception) org.assertj.core.api.Assertions.catchThrowable(() -> acme.describeInstances(r -> r.instanceIds("i-xyz")));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.requestId()).isNotBlank();
    }
}
