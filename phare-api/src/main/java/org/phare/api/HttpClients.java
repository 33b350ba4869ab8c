package org.phare.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** The HTTP clients Phare's processes talk to the control plane with. */
public final class HttpClients {
    private HttpClients() {
    }

    /**
     * A builder of HTTP/1.1 clients for {@code addresses}: {@link #plainHttp11} when every one is plain
     * {@code http://}, otherwise one with the JDK's default TLS context.
     */
    public static HttpClient.Builder http11(Collection<URI> addresses) {
        return plain(addresses) ? plainHttp11() : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
    }

    /**
     * A builder of HTTP/1.1 clients that speak plain {@code http://} only. They are given a TLS context that is never
     * set up: the JDK's default one reads the CA certificates and prepares its providers as the client is built, about
     * 0.2 s of CPU at the start of every CLI call, agent and member, for a client that never speaks TLS. Such a client
     * refuses an {@code https://} address ("SSLContext is not initialized").
     */
    public static HttpClient.Builder plainHttp11() {
        try {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(SSLContext.getInstance("TLS")).sslParameters(new SSLParameters());
        } catch (NoSuchAlgorithmException e) {
            // Every JDK has TLS; without it the default context would fail too, later.
            throw new IllegalStateException(e);
        }
    }

    /** Whether there are addresses and every one is plain {@code http://}. */
    public static boolean plain(Collection<URI> addresses) {
        return !addresses.isEmpty() && addresses.stream().allMatch(u -> "http".equalsIgnoreCase(u.getScheme()));
    }
}
