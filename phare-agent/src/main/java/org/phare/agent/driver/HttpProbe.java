package org.phare.agent.driver;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.phare.core.model.InstanceId;

/**
 * Readiness: the copy answers {@code GET /} on its port <em>as itself</em>. The body must name the instance,
 * the generation and the pid, so that another process that happens to hold the port (the very case in which
 * the copy fails to start) never passes for the copy. A raw HTTP/1.1 exchange on a plain socket, bounded by
 * its timeouts, with no client library and no thread of its own.
 */
final class HttpProbe {
    static final int CONNECT_TIMEOUT_MS = 500;
    static final int READ_TIMEOUT_MS = 1000;
    private static final int MAX_RESPONSE_BYTES = 4096;

    private HttpProbe() {}

    static boolean answersAsItself(int port, InstanceId id, long generation, long pid) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String response = new String(in.readNBytes(MAX_RESPONSE_BYTES), StandardCharsets.UTF_8);
            return response.startsWith("HTTP/1.1 200 ")
                    && response.contains("\"instance\":\"" + id.value() + "\"")
                    && response.contains("\"generation\":" + generation + ",")
                    && response.contains("\"pid\":" + pid + "}");
        } catch (IOException e) {
            return false;
        }
    }
}
