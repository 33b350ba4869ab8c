package org.phare.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Clients for plain addresses skip the JDK's TLS set-up and still talk HTTP; any https address keeps it. */
class HttpClientsTest {
    private HttpServer server;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aClientOfPlainAddressesTalksHttpWithoutTheDefaultTls() throws Exception {
        HttpClient client = HttpClients.http11(List.of(base, URI.create("http://127.0.0.2:1/"))).build();
        assertThat(client.sslContext()).isNotSameAs(SSLContext.getDefault());
        assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_1_1);

        HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok");

        // It never speaks TLS: an https address is refused at once, saying why.
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + server.getAddress().getPort() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class).hasMessageContaining("not initialized");
    }

    @Test
    void anHttpsAddressKeepsTheDefaultTls() throws Exception {
        HttpClient client = HttpClients.http11(List.of(base, URI.create("https://cloud.example:443/"))).build();
        assertThat(client.sslContext()).isSameAs(SSLContext.getDefault());
        assertThat(HttpClients.http11(List.of()).build().sslContext()).isSameAs(SSLContext.getDefault());
    }
}
