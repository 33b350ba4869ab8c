package org.phare.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phare.core.CloudFixture.C1R2;
import static org.phare.core.CloudFixture.IMAGE;
import static org.phare.core.CloudFixture.OTHER_TENANT;
import static org.phare.core.CloudFixture.TENANT;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.ControlledCloud;
import org.phare.core.model.InstanceId;
import org.phare.core.model.KeyPair;
import org.phare.core.model.Tag;
import org.phare.core.state.CloudState;

@DisplayName("key pairs and tags")
class KeyPairsAndTagsTest {
    private final ControlledCloud cloud = ControlledCloud.start(ControlledCloud.defaultConfig(), 2);

    private KeyPair createKey(String name) {
        Result r = cloud.submit(new Command.CreateKeyPair(TENANT, name, "ed25519", "aa:bb", "ssh-ed25519 AAAA " + name));
        return (KeyPair) ((Result.Ok) r).value();
    }

    private static String code(Result r) {
        return r instanceof Result.Rejected rej ? rej.code() : "ok";
    }

    @Test
    @DisplayName("a key pair name is unique per tenant; ids are EC2-shaped; delete is idempotent and per tenant")
    void keyPairs() {
        KeyPair k = createKey("deploy");
        assertThat(k.id()).matches("key-[0-9a-f]{17}");
        assertThat(code(cloud.submit(new Command.CreateKeyPair(TENANT, "deploy", "rsa", "x", "ssh-rsa B")))).isEqualTo("InvalidKeyPair.Duplicate");
        // Another tenant may use the same name.
        assertThat(code(cloud.submit(new Command.CreateKeyPair(OTHER_TENANT, "deploy", "rsa", "x", "ssh-rsa B")))).isEqualTo("ok");
        assertThat(code(cloud.submit(new Command.CreateKeyPair(TENANT, "", "rsa", "x", "ssh-rsa B")))).isEqualTo("InvalidParameterValue");

        // Another tenant deleting by id: nothing happens.
        assertThat(cloud.submit(new Command.DeleteKeyPair(OTHER_TENANT, null, k.id())).isOk()).isTrue();
        assertThat(cloud.state().keyPairs()).containsKey(k.id());
        assertThat(cloud.submit(new Command.DeleteKeyPair(TENANT, "deploy", null)).isOk()).isTrue();
        assertThat(cloud.state().keyPair(TENANT, "deploy")).isNull();
        assertThat(cloud.submit(new Command.DeleteKeyPair(TENANT, "deploy", null)).isOk()).isTrue();
        assertThat(cloud.state().differences(cloud.replayed())).isEmpty();
    }

    @Test
    @DisplayName("run with a key name needs the tenant's own key pair")
    void runWithKey() {
        createKey("mine");
        Command.RunInstances withKey = new Command.RunInstances(OTHER_TENANT, C1R2, IMAGE, null, 1, 0, null, null, null, 1,
                "mine", null, Map.of());
        assertThat(code(cloud.submit(withKey))).isEqualTo("InvalidKeyPair.NotFound");
        Result ok = cloud.submit(new Command.RunInstances(TENANT, C1R2, IMAGE, null, 1, 0, null, null, null, 1, "mine",
                "aGVsbG8=", Map.of()));
        InstanceId id = (InstanceId) ((List<?>) ((Result.Ok) ok).value()).get(0);
        assertThat(cloud.instance(id).launch().keyName()).isEqualTo("mine");
        assertThat(cloud.instance(id).launch().userData()).isEqualTo("aGVsbG8=");
        assertThat(code(cloud.submit(new Command.RunInstances(TENANT, C1R2, IMAGE, null, 1, 0, null, null, null, 1, null,
                "not base64!", Map.of())))).isEqualTo("InvalidParameterValue");
    }

    @Test
    @DisplayName("tags: set, overwrite, delete by key or by key and value; another tenant's resource is unknown")
    void tags() {
        InstanceId id = cloud.runOne(C1R2, null, 0);
        KeyPair k = createKey("k");
        String i = id.value();
        assertThat(cloud.submit(new Command.CreateTags(TENANT, List.of(i, k.id()), Map.of("env", "prod", "team", "a"))).isOk()).isTrue();
        assertThat(cloud.submit(new Command.CreateTags(TENANT, List.of(i), Map.of("env", "dev"))).isOk()).isTrue();
        assertThat(cloud.state().tags(i)).containsExactly(Map.entry("env", "dev"), Map.entry("team", "a"));
        assertThat(cloud.state().tags(k.id())).containsEntry("env", "prod");

        assertThat(code(cloud.submit(new Command.CreateTags(OTHER_TENANT, List.of(i), Map.of("x", "y"))))).isEqualTo("InvalidInstanceID.NotFound");
        assertThat(code(cloud.submit(new Command.CreateTags(OTHER_TENANT, List.of(k.id()), Map.of("x", "y"))))).isEqualTo("InvalidKeyPair.NotFound");
        assertThat(code(cloud.submit(new Command.CreateTags(TENANT, List.of("vol-1"), Map.of("x", "y"))))).isEqualTo("InvalidID");
        assertThat(code(cloud.submit(new Command.CreateTags(TENANT, List.of(i), Map.of("aws:x", "y"))))).isEqualTo("InvalidParameterValue");
        assertThat(code(cloud.submit(new Command.DeleteTags(OTHER_TENANT, List.of(i), List.of())))).isEqualTo("InvalidInstanceID.NotFound");
        assertThat(cloud.state().tags(i)).hasSize(2);

        // A value that does not match leaves the tag; a null value removes it whatever its value.
        cloud.submit(new Command.DeleteTags(TENANT, List.of(i), List.of(new Tag("env", "prod"))));
        assertThat(cloud.state().tags(i)).containsKey("env");
        cloud.submit(new Command.DeleteTags(TENANT, List.of(i), List.of(new Tag("env", null))));
        assertThat(cloud.state().tags(i)).containsOnlyKeys("team");
        // No tag named: all of them.
        cloud.submit(new Command.DeleteTags(TENANT, List.of(i), List.of()));
        assertThat(cloud.state().tags(i)).isEmpty();

        assertThat(cloud.state().differences(cloud.replayed())).isEmpty();
        CloudState restored = CloudState.restore(cloud.state().snapshot());
        assertThat(restored.differences(cloud.state())).isEmpty();
        assertThat(restored.tags(k.id())).containsEntry("team", "a");
    }
}
