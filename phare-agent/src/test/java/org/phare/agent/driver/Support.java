package org.phare.agent.driver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.phare.core.model.ImageId;
import org.phare.core.model.InstanceId;
import org.phare.core.model.Resources;

/** Small helpers shared by the driver tests. */
final class Support {
    static final ImageId IMAGE = ImageId.of("ami-debian-12");
    static final Resources SMALL = new Resources(1, 512);
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Support() {}

    static InstanceId id(int n) {
        return InstanceId.of(String.format("i-%08d", n));
    }

    /** The body of a 200 answer to GET http://address/path; an IOException for anything else. */
    static String get(String address, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://" + address + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " on " + address + " answered " + response.statusCode());
        }
        return response.body();
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Alive and not a zombie: a copy that exited while its parent is frozen stays in the process table, unreaped, until
     * the parent runs again; it runs nothing.
     */
    static boolean running(long pid) {
        if (!alive(pid)) {
            return false;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return alive(pid); // no /proc, or it just went away
        }
    }

    static boolean ready(InstanceDriver driver, InstanceId id) {
        return Optional.ofNullable(driver.list().get(id)).map(RunningInstance::ready).orElse(false);
    }

    static void killQuietly(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
