package org.phare.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.phare.cli.ApiClient;

/**
 * Issue 17: a running cloud upgraded member by member. Three members start as a release that reads log format 1 only
 * ({@code -Dphare.logFormat.max=1} stands for the older release); each is stopped and started again as this release
 * (as the release that reads format 2, {@code -Dphare.logFormat.max=2}, where {@code compute.instance-renamed/1}
 * appeared). Writes continue all along; a rename is
 * refused ({@code LogFormatTooOld}) until the format is raised, raising it is refused ({@code MembersTooOld}, naming
 * the member) while one member still reads format 1 only, then it is raised and the rename is accepted and seen on
 * every member. The reverse: a member started again as the older release refuses to start, naming the format it needs.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RollingUpgradeEndToEndTest {
    private static final List<String> OLD_RELEASE = List.of("-Dphare.logFormat.max=1");
    /** The release that introduced format 2 (this code reads later formats too: it stands for that release here). */
    private static final List<String> NEW_RELEASE = List.of("-Dphare.logFormat.max=2");

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path tmp;

    @RegisterExtension
    final LocalCloud.Extension clouds = new LocalCloud.Extension();

    @Test
    @DisplayName("member by member to a release with a new record type: refused until every member reads it and the format"
            + " is raised, then accepted; a member too old for the format refuses to start")
    void rollingUpgrade() throws Exception {
        LocalCloud cloud = clouds.start(tmp, "zone");
        cloud.startCluster(3, OLD_RELEASE);
        cloud.startAgentPerZone();
        ApiClient api = cloud.client();
        JsonNode status = LocalCloud.eventually().until(() -> api.get("/v1/cluster"),
                s -> s.path("members").size() == 3 && allAnnounced(s));
        assertThat(status.path("logFormat").asInt()).as("a cloud created by the older release").isEqualTo(1);
        status.path("members").forEach(m -> assertThat(m.path("maxLogFormat").asInt()).isEqualTo(1));

        String first = run(api, "before");
        assertThatThrownBy(() -> rename(api, first, "renamed-too-early")).hasMessageContaining("LogFormatTooOld");

        List<LocalCloud.Member> members = List.copyOf(cloud.members());
        for (int k = 0; k < members.size(); k++) {
            LocalCloud.Member m = members.get(k);
            cloud.stopMember(m);
            m.jvmFlags = NEW_RELEASE;
            cloud.restartMember(m);
            LocalCloud.eventually().until(() -> api.get("/v1/cluster"), s -> memberReads(s, m.id, 2));
            // Writes continue, in the format in force.
            run(api, "during-" + k);
            assertThatThrownBy(() -> rename(api, first, "still-too-early")).hasMessageContaining("LogFormatTooOld");
            if (k < members.size() - 1) {
                assertThatThrownBy(() -> api.post("/v1/cluster/log-format", Map.of("to", 2)))
                        .hasMessageContaining("MembersTooOld").hasMessageContaining(members.get(members.size() - 1).id);
            }
        }

        JsonNode raised = api.post("/v1/cluster/log-format", Map.of());
        assertThat(raised.path("logFormat").asInt()).isEqualTo(2);
        JsonNode renamed = rename(api, first, "after-upgrade");
        assertThat(renamed.path("name").asText()).isEqualTo("after-upgrade");
        for (LocalCloud.Member m : cloud.members()) {
            LocalCloud.eventually().untilAsserted(() -> {
                assertThat(cloud.getFrom(m, "/v1/instances/" + first).path("name").asText()).isEqualTo("after-upgrade");
                assertThat(cloud.memberStatus(m).path("logFormat").asInt()).isEqualTo(2);
            });
        }
        run(api, "after");

        // The reverse: the older release on a cloud at format 2 refuses to start, and says what it needs.
        LocalCloud.Member old = members.get(0);
        cloud.stopMember(old);
        old.jvmFlags = OLD_RELEASE;
        cloud.restartMember(old);
        assertThat(old.process.waitFor(60, TimeUnit.SECONDS)).as("the older release exits").isTrue();
        assertThat(old.process.exitValue()).isNotZero();
        assertThat(cloud.memberLog(old)).contains("cannot start").contains("reads formats up to 1")
                .contains("run a release that reads log format 2");
        // and the cloud carries on with the two others
        run(api, "with-two");
    }

    private static boolean allAnnounced(JsonNode status) {
        for (JsonNode m : status.path("members")) {
            if (m.path("maxLogFormat").isNull() || m.path("maxLogFormat").isMissingNode()) {
                return false;
            }
        }
        return true;
    }

    private static boolean memberReads(JsonNode status, String id, int format) {
        for (JsonNode m : status.path("members")) {
            if (m.path("id").asText().equals(id)) {
                return m.path("maxLogFormat").asInt() == format;
            }
        }
        return false;
    }

    private static String run(ApiClient api, String name) {
        JsonNode created = LocalCloud.eventually().until(() -> api.post("/v1/instances", Map.of("image", LocalCloud.IMAGE,
                "type", LocalCloud.SMALL_TYPE, "name", name)), r -> r.size() == 1);
        return created.get(0).path("id").asText();
    }

    private static JsonNode rename(ApiClient api, String id, String name) {
        return api.post("/v1/instances/" + id + "/rename", Map.of("name", name));
    }
}
