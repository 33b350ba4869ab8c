package org.phare.agent.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code http-echo} image: a tiny HTTP service that stands in for a tenant's virtual server. It listens on
 * 127.0.0.1:PORT and answers {@code GET /} with {@code {"instance":…,"generation":…,"host":…,"pid":…}} and
 * {@code GET /healthz} with {@code ok}, so a user can see which copy of "their server" answers, before and
 * after a failover.
 *
 * <p><b>Standard input is the leash</b> ({@link Leash}). The agent holds the write end of this process's stdin pipe.
 * When the agent dies for any reason, {@code kill -9} included, the kernel closes that end, the read returns end of
 * file, and this process halts: no instance outlives its agent, as no VM outlives its hypervisor. The agent also
 * writes lease renewals there ({@code renew MS}); with {@code --lease-ms MS} the copy holds a deadline from its start,
 * and halts when it passes without a renewal: a frozen agent's copies die by its lease deadline. Started by hand, give
 * it a stdin that stays open (a terminal, or {@code sleep inf |}) and no {@code --lease-ms}.
 *
 * <p>Exit codes: 0 leash cut (stdin closed), 2 bad arguments, 3 port already in use (the driver then retries
 * on another port), 4 lease expired. No logging framework, so that it starts in a few hundred milliseconds.
 */
public final class HttpEcho {
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_PORT_TAKEN = 3;

    private HttpEcho() {}

    public static void main(String[] args) {
        // First of all, before anything that could block: an agent that dies (or freezes) while we start must still
        // take us. (A malformed --lease-ms: the usage error below halts us at once.)
        long leaseMs = leaseArgument(args);
        Leash.hold("http-echo", leaseMs);

        Map<String, String> opts = parse(args);
        if (leaseMs == MALFORMED) {
            throw usage("--lease-ms must be a number of milliseconds, at least 0");
        }
        String instance = opts.get("--instance");
        String host = opts.get("--host");
        long generation;
        int port;
        try {
            generation = Long.parseLong(opts.get("--generation"));
            port = Integer.parseInt(opts.get("--port"));
        } catch (NumberFormatException e) {
            throw usage("--generation and --port must be numbers");
        }
        if (instance == null || host == null || port < 1 || port > 65535) {
            throw usage("--instance and --host are required and --port must be in 1..65535");
        }

        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (BindException e) {
            System.err.println("http-echo: cannot listen on 127.0.0.1:" + port + ": port already in use (" + e.getMessage() + ")");
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_PORT_TAKEN);
            return;
        } catch (IOException e) {
            System.err.println("http-echo: cannot listen on 127.0.0.1:" + port + ": " + e);
            System.err.flush();
            Runtime.getRuntime().halt(1);
            return;
        }
        byte[] identity = ("{\"instance\":" + quote(instance) + ",\"generation\":" + generation
                + ",\"host\":" + quote(host) + ",\"pid\":" + ProcessHandle.current().pid() + "}\n")
                .getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            if (!exchange.getRequestURI().getPath().equals("/")) {
                reply(exchange, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
            } else {
                reply(exchange, 200, "application/json", identity);
            }
        });
        server.createContext("/healthz", exchange -> reply(exchange, 200, "text/plain", "ok".getBytes(StandardCharsets.UTF_8)));
        server.start();
        System.out.println("http-echo: instance " + instance + " generation " + generation + " on host " + host
                + " listening on 127.0.0.1:" + port + " (pid " + ProcessHandle.current().pid() + ")");
        System.out.flush();
    }

    private static final long MALFORMED = -2;

    /** The initial lease in ms ({@code --lease-ms}), -1 if none, {@link #MALFORMED} if not a number of at least 0. */
    private static long leaseArgument(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--lease-ms")) {
                try {
                    long ms = Long.parseLong(args[i + 1]);
                    return ms >= 0 ? ms : MALFORMED;
                } catch (NumberFormatException e) {
                    return MALFORMED;
                }
            }
        }
        return -1;
    }

    private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw usage("unexpected argument '" + args[i] + "'");
            }
            opts.put(args[i], args[i + 1]);
        }
        return opts;
    }

    private static RuntimeException usage(String problem) {
        System.err.println("http-echo: " + problem);
        System.err.println("usage: http-echo --instance ID --generation G --host HOST --port P [--lease-ms MS]");
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_USAGE);
        return new IllegalStateException("unreachable");
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
