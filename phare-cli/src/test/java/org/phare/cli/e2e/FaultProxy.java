package org.phare.cli.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback between agents and one control-plane member, whose faults a test switches at any moment:
 * what a network between a host and the control plane can do, with real sockets.
 *
 * <ul>
 *   <li>{@link Mode#PASS} — bytes go through both ways, as soon as they come;</li>
 *   <li>{@link Mode#BLACKHOLE} — nothing goes through and nothing is refused: new connections are accepted and held
 *       in silence, bytes of open ones are dropped (a cable cut, a firewall that drops: the agent's calls hang);</li>
 *   <li>{@link Mode#DROP_REPLIES} — requests reach the member, its answers are dropped (heartbeats arrive, leases are
 *       never renewed);</li>
 *   <li>{@link Mode#DROP_REQUESTS} — requests are dropped (so nothing comes back either);</li>
 *   <li>{@link Mode#DELAY} — each chunk goes through {@link #delayMs} late, both ways, in order.</li>
 * </ul>
 *
 * Switching modes applies to open connections too (HTTP clients keep theirs open). Back to {@link #pass()}, every
 * connection that lost bytes is closed, so that both ends start afresh rather than read the rest of a message cut in
 * two. One virtual thread per connection and direction; a connection to the member that cannot be made is closed at
 * once, as a refused one would be.
 */
final class FaultProxy implements AutoCloseable {
    enum Mode { PASS, BLACKHOLE, DROP_REPLIES, DROP_REQUESTS, DELAY }

    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.PASS;
    private volatile long delayMs;
    private volatile boolean closed;

    /** Listens on a free loopback port and forwards to 127.0.0.1:{@code targetPort}. */
    FaultProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-" + targetPort).start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    int targetPort() {
        return targetPort;
    }

    Mode mode() {
        return mode;
    }

    /** Heals: bytes flow again; connections that lost bytes meanwhile are closed. */
    void pass() {
        mode = Mode.PASS;
        for (Connection c : connections) {
            if (c.lostBytes || c.upstream == null) {
                c.close();
            }
        }
    }

    void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    void dropReplies() {
        mode = Mode.DROP_REPLIES;
    }

    void dropRequests() {
        mode = Mode.DROP_REQUESTS;
    }

    void delay(long ms) {
        delayMs = ms;
        mode = Mode.DELAY;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Connection c = new Connection(client);
            connections.add(c);
            if (mode == Mode.BLACKHOLE) {
                // Accepted, and then silence: the client's request hangs until its own timeout.
                Thread.ofVirtual().start(() -> c.pump(client, null, true));
                continue;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 1_000);
                c.upstream = upstream;
            } catch (IOException e) {
                c.close(); // the member does not listen: refused, as it would be without us
                continue;
            }
            Thread.ofVirtual().start(() -> c.pump(client, c.upstream, true));
            Thread.ofVirtual().start(() -> c.pump(c.upstream, client, false));
        }
    }

    /** One client connection and, unless it came during a blackhole, its connection to the member. */
    private final class Connection {
        final Socket client;
        volatile Socket upstream;
        volatile boolean lostBytes;

        Connection(Socket client) {
            this.client = client;
        }

        /** Copies {@code from} to {@code to} (null: nowhere) as the mode says, until either side closes. */
        void pump(Socket from, Socket to, boolean request) {
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to == null ? null : to.getOutputStream();
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    Mode m = mode;
                    boolean drop = out == null || m == Mode.BLACKHOLE || (m == Mode.DROP_REPLIES && !request)
                            || (m == Mode.DROP_REQUESTS && request);
                    if (drop) {
                        lostBytes = true;
                        continue;
                    }
                    if (m == Mode.DELAY && delayMs > 0) {
                        Thread.sleep(delayMs);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (SocketException e) {
                // closed by the other pump, by pass() or by close()
            } catch (IOException e) {
                // the same: the connection is over
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            close();
        }

        void close() {
            connections.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        connections.forEach(Connection::close);
    }

    @Override
    public String toString() {
        return "proxy :" + port() + " -> :" + targetPort + " (" + mode + ")";
    }
}
