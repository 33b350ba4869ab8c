package org.phare.agent.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.phare.agent.driver.Support.IMAGE;
import static org.phare.agent.driver.Support.PATIENCE;
import static org.phare.agent.driver.Support.SMALL;
import static org.phare.agent.driver.Support.alive;
import static org.phare.agent.driver.Support.get;
import static org.phare.agent.driver.Support.id;
import static org.phare.agent.driver.Support.ready;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phare.core.model.HostId;
import org.phare.core.model.InstanceId;

@DisplayName("The process driver")
class ProcessDriverTest {
    private static final HostId HOST = HostId.of("h-a-00001");

    @TempDir
    Path dataDir;

    private final List<ProcessDriver> drivers = new ArrayList<>();

    @AfterEach
    void closeDrivers() {
        drivers.forEach(ProcessDriver::close);
    }

    private ProcessDriver driver(ProcessDriver.Builder builder) {
        ProcessDriver driver = builder.build();
        drivers.add(driver);
        return driver;
    }

    private ProcessDriver driver() {
        return driver(ProcessDriver.builder(dataDir, HOST));
    }

    private Path record(InstanceId id) {
        return dataDir.resolve("instances").resolve(id + ".json");
    }

    @Test
    @DisplayName("fencing kills every copy at once, without grace: when it returns every process is dead and unlisted,"
            + " and the driver takes starts again")
    void fence() throws Exception {
        ProcessDriver driver = driver();
        List<RunningInstance> started = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            started.add(driver.start(id(i), 1, IMAGE, SMALL));
        }
        await().atMost(PATIENCE).until(() -> ready(driver, id(1)) && ready(driver, id(2)) && ready(driver, id(3)));

        assertThat(driver.fence()).isEqualTo(3);

        assertThat(started).allSatisfy(r -> assertThat(alive(r.pid())).as("pid %d after the fence", r.pid()).isFalse());
        assertThat(driver.list()).isEmpty();
        assertThat(record(id(1))).doesNotExist();
        RunningInstance again = driver.start(id(1), 2, IMAGE, SMALL);
        assertThat(alive(again.pid())).isTrue();
    }

    @Test
    @DisplayName("copies hold the agent's lease: nobody renews it (a frozen agent), so they halt by its deadline on their own,"
            + " and leave the list")
    void copiesDieWithTheLease() throws Exception {
        ProcessDriver driver = driver();
        long expiresAt = System.nanoTime() + 2_000_000_000L;
        driver.renewLease(expiresAt);
        RunningInstance a = driver.start(id(1), 1, IMAGE, SMALL);
        RunningInstance b = driver.start(id(2), 1, IMAGE, SMALL);
        await().atMost(PATIENCE).until(() -> ready(driver, id(1)) && ready(driver, id(2)));

        await().atMost(PATIENCE).pollInterval(java.time.Duration.ofMillis(10))
                .until(() -> !alive(a.pid()) && !alive(b.pid()));
        long goneMs = (System.nanoTime() - expiresAt) / 1_000_000;

        // Never after the lease (+ the exit and this poll); not long before it either: they held it.
        assertThat(goneMs).as("ms from the lease deadline to both copies gone").isBetween(-300L, 500L);
        await().atMost(PATIENCE).until(() -> driver.list().isEmpty());
        assertThat(record(id(1))).doesNotExist();
        assertThat(Files.readString(dataDir.resolve("instances/i-00000001.log"))).contains("the lease ran out");
    }

    @Test
    @DisplayName("each renewal moves every copy's deadline: copies outlive their first deadline while it is renewed,"
            + " and a start after the lease ran out is refused")
    void renewalsKeepCopiesAlive() throws Exception {
        ProcessDriver driver = driver();
        driver.renewLease(System.nanoTime() + 800_000_000L);
        RunningInstance a = driver.start(id(1), 1, IMAGE, SMALL);
        long until = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < until) {
            driver.renewLease(System.nanoTime() + 800_000_000L);
            Thread.sleep(200);
        }
        assertThat(alive(a.pid())).as("a copy renewed every 200 ms for 3 s with a 0.8 s lease").isTrue();
        await().atMost(PATIENCE).until(() -> ready(driver, id(1)));

        long expiresAt = System.nanoTime() + 800_000_000L;
        driver.renewLease(expiresAt);
        await().atMost(PATIENCE).pollInterval(java.time.Duration.ofMillis(10)).until(() -> !alive(a.pid()));
        assertThat((System.nanoTime() - expiresAt) / 1_000_000).isLessThan(500);

        assertThatThrownBy(() -> driver.start(id(2), 1, IMAGE, SMALL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("lease has run out");
        assertThat(driver.list()).doesNotContainKey(id(2));
    }

    @Test
    @DisplayName("a started instance answers GET / with its id, generation and host, is listed ready, and is gone once stopped")
    void startAnswerStop() throws Exception {
        ProcessDriver driver = driver();
        InstanceId id = id(1);

        RunningInstance started = driver.start(id, 2, IMAGE, SMALL);

        assertThat(started.address()).startsWith("127.0.0.1:");
        assertThat(started.generation()).isEqualTo(2);
        await().atMost(PATIENCE).until(() -> ready(driver, id));
        assertThat(get(started.address(), "/")).contains(
                "\"instance\":\"i-00000001\"", "\"generation\":2", "\"host\":\"h-a-00001\"", "\"pid\":" + started.pid());
        assertThat(get(started.address(), "/healthz")).isEqualTo("ok");
        assertThat(driver.list().get(id)).isEqualTo(new RunningInstance(
                id, 2, IMAGE, started.address(), started.pid(), started.startedAt(), true));
        assertThat(Files.readString(record(id))).contains("\"pid\":" + started.pid(), "\"generation\":2");

        assertThat(driver.stop(id)).isTrue();

        assertThat(alive(started.pid())).as("the process of a stopped instance").isFalse();
        assertThat(driver.list()).isEmpty();
        assertThatThrownBy(() -> get(started.address(), "/")).as("its port after stop").isInstanceOf(IOException.class);
        assertThat(record(id)).doesNotExist();
        assertThat(driver.stop(id)).as("stopping it again").isFalse();
    }

    @Test
    @DisplayName("two instances get different ports and close() kills them all")
    void twoInstancesThenClose() {
        ProcessDriver driver = driver();
        RunningInstance a = driver.start(id(1), 1, IMAGE, SMALL);
        RunningInstance b = driver.start(id(2), 1, IMAGE, SMALL);

        assertThat(a.address()).isNotEqualTo(b.address());
        await().atMost(PATIENCE).until(() -> ready(driver, id(1)) && ready(driver, id(2)));

        driver.close();

        assertThat(alive(a.pid())).isFalse();
        assertThat(alive(b.pid())).isFalse();
        assertThat(driver.list()).isEmpty();
        assertThat(record(id(1))).doesNotExist();
        assertThat(record(id(2))).doesNotExist();
        assertThatThrownBy(() -> driver.start(id(3), 1, IMAGE, SMALL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    @DisplayName("starting the generation that runs returns the running copy; another generation is refused until it is stopped")
    void startIsIdempotentPerGeneration() {
        ProcessDriver driver = driver();
        RunningInstance first = driver.start(id(1), 4, IMAGE, SMALL);

        RunningInstance again = driver.start(id(1), 4, IMAGE, SMALL);

        assertThat(again.pid()).isEqualTo(first.pid());
        assertThatThrownBy(() -> driver.start(id(1), 5, IMAGE, SMALL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("instance i-00000001 generation 4 still runs");
        driver.stop(id(1));
        RunningInstance next = driver.start(id(1), 5, IMAGE, SMALL);
        assertThat(next.generation()).isEqualTo(5);
        assertThat(next.pid()).isNotEqualTo(first.pid());
    }

    @Test
    @DisplayName("an instance whose process dies on its own leaves the list and its record")
    void crashedInstanceIsForgotten() {
        ProcessDriver driver = driver();
        RunningInstance started = driver.start(id(1), 1, IMAGE, SMALL);
        await().atMost(PATIENCE).until(() -> ready(driver, id(1)));

        ProcessHandle.of(started.pid()).orElseThrow().destroyForcibly();

        await().atMost(PATIENCE).until(() -> driver.list().isEmpty());
        assertThat(record(id(1))).doesNotExist();
    }

    @Test
    @DisplayName("an instance whose port was taken before it could bind it is relaunched on another port")
    void portTakenIsRetried() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int taken = squatter.getLocalPort();
            AtomicInteger picks = new AtomicInteger();
            ProcessDriver driver = driver(ProcessDriver.builder(dataDir, HOST)
                    .freePorts(() -> picks.getAndIncrement() == 0 ? taken : ProcessDriver.ephemeralLoopbackPort()));

            RunningInstance started = driver.start(id(1), 1, IMAGE, SMALL);

            assertThat(started.address()).isEqualTo("127.0.0.1:" + taken);
            await().atMost(PATIENCE).until(() -> ready(driver, id(1)));
            RunningInstance relaunched = driver.list().get(id(1));
            assertThat(relaunched.address()).isNotEqualTo(started.address());
            assertThat(get(relaunched.address(), "/")).contains("\"instance\":\"i-00000001\"");
            assertThat(alive(started.pid())).isFalse();
            assertThat(Files.readString(dataDir.resolve("instances/i-00000001.log")))
                    .contains("port already in use", "(launch 2)");
        }
    }

    @Test
    @DisplayName("an image of an unknown kind is refused with a message naming the known kinds, and nothing is left behind")
    void unknownImageKind() throws Exception {
        ProcessDriver driver = driver(ProcessDriver.builder(dataDir, HOST).imageKind(image -> "qemu"));

        assertThatThrownBy(() -> driver.start(id(1), 1, IMAGE, SMALL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image ami-debian-12: unknown image kind 'qemu': the process driver knows http-echo");
        assertThat(driver.list()).isEmpty();
        try (var files = Files.list(dataDir.resolve("instances"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    @DisplayName("an instance id that could not name a file is refused")
    void unsafeInstanceId() {
        ProcessDriver driver = driver();

        assertThatThrownBy(() -> driver.start(InstanceId.of("../etc/passwd"), 1, IMAGE, SMALL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("instance id '../etc/passwd' cannot name a file");
    }
}
