package org.phare.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The http-echo image")
class HttpEchoTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killProcesses() {
        processes.forEach(Process::destroyForcibly);
    }

    private Process echo(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-XX:+IgnoreUnrecognizedVMOptions", "-XX:UserThreadWaitAttemptsAtExit=0",
                "-cp", System.getProperty("java.class.path"), HttpEcho.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start(); // stdin: a pipe we hold, the leash
        processes.add(process);
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean answers(int port) {
        try {
            return get(port, "/healthz").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    @DisplayName("answers with its identity, says ok on /healthz, 404 elsewhere, and halts when its standard input closes")
    void answersThenHaltsOnEof() throws Exception {
        int port = freePort();
        Process echo = echo("--instance", "i-0abc", "--generation", "2", "--host", "h-a-00001", "--port", Integer.toString(port));
        await().atMost(PATIENCE).until(() -> answers(port) || !echo.isAlive());

        HttpResponse<String> root = get(port, "/");
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(root.body().strip()).isEqualTo(
                "{\"instance\":\"i-0abc\",\"generation\":2,\"host\":\"h-a-00001\",\"pid\":" + echo.pid() + "}");
        assertThat(get(port, "/healthz").body()).isEqualTo("ok");
        assertThat(get(port, "/nope").statusCode()).isEqualTo(404);

        echo.getOutputStream().close();

        await().atMost(PATIENCE).until(() -> !echo.isAlive());
        assertThat(echo.exitValue()).isZero();
    }

    @Test
    @DisplayName("with --lease-ms and no renewal it halts with code 4 at its deadline, though its standard input stays open")
    void haltsWhenItsLeaseRunsOut() throws Exception {
        int port = freePort();
        long launchedAt = System.nanoTime();
        Process echo = echo("--instance", "i-0abc", "--generation", "1", "--host", "h", "--port", Integer.toString(port),
                "--lease-ms", "1500");
        await().atMost(PATIENCE).until(() -> answers(port) || !echo.isAlive());
        assertThat(echo.isAlive()).as("alive while its lease holds").isTrue();

        await().atMost(PATIENCE).until(() -> !echo.isAlive());
        long goneAfterMs = (System.nanoTime() - launchedAt) / 1_000_000;

        assertThat(echo.exitValue()).isEqualTo(Leash.EXIT_LEASE_EXPIRED);
        // Counted from its start, which follows our launch: never later than 1.5 s after it, plus the exit and our poll.
        assertThat(goneAfterMs).isLessThan(1_500 + 500);
        assertThat(new String(echo.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).contains("the lease ran out");
    }

    @Test
    @DisplayName("renew lines on standard input keep it alive past its first deadline; once they stop, it halts by the last one's")
    void renewalsKeepItAlive() throws Exception {
        int port = freePort();
        Process echo = echo("--instance", "i-0abc", "--generation", "1", "--host", "h", "--port", Integer.toString(port),
                "--lease-ms", "700");
        var stdin = echo.getOutputStream();
        long until = System.nanoTime() + 2_500_000_000L;
        while (System.nanoTime() < until) {
            stdin.write("renew 700\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            Thread.sleep(150);
        }
        assertThat(echo.isAlive()).as("alive 2.5 s after a start with a 0.7 s lease, renewed every 150 ms").isTrue();
        assertThat(answers(port)).isTrue();
        long lastRenewal = System.nanoTime();
        stdin.write("renew 700\n".getBytes(StandardCharsets.US_ASCII));
        stdin.flush();

        await().atMost(PATIENCE).until(() -> !echo.isAlive());

        assertThat((System.nanoTime() - lastRenewal) / 1_000_000).isLessThan(700 + 500);
        assertThat(echo.exitValue()).isEqualTo(Leash.EXIT_LEASE_EXPIRED);
    }

    @Test
    @DisplayName("exits with code 3 and a clear message when its port is taken")
    void portTaken() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = squatter.getLocalPort();
            Process echo = echo("--instance", "i-0abc", "--generation", "1", "--host", "h", "--port", Integer.toString(port));

            await().atMost(PATIENCE).until(() -> !echo.isAlive());

            assertThat(echo.exitValue()).isEqualTo(HttpEcho.EXIT_PORT_TAKEN);
            assertThat(new String(echo.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                    .contains("cannot listen on 127.0.0.1:" + port + ": port already in use");
        }
    }

    @Test
    @DisplayName("exits with code 2 and its usage on bad arguments")
    void badArguments() throws Exception {
        Process echo = echo("--instance", "i-0abc", "--generation", "two", "--host", "h", "--port", "80");

        await().atMost(PATIENCE).until(() -> !echo.isAlive());

        assertThat(echo.exitValue()).isEqualTo(HttpEcho.EXIT_USAGE);
        assertThat(new String(echo.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("--generation and --port must be numbers", "usage: http-echo");
    }
}
