package org.phare.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.phare.core.drill.Outage;

@DisplayName("the drill's prober: what a customer saw, from outside the control plane")
class ProberTest {

    private static ServerSocket listen(int port) throws Exception {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread.ofVirtual().start(() -> {
            while (!s.isClosed()) {
                try {
                    s.accept().close();
                } catch (Exception e) {
                    return;
                }
            }
        });
        return s;
    }

    @Test
    @DisplayName("an instance stopped for a known time is seen down that long, within 0.5 s; one that never stops has no outage")
    void knownOutage() throws Exception {
        ServerSocket a = listen(0);
        ServerSocket b = listen(0);
        int port = a.getLocalPort();
        Map<String, String> addresses = Map.of("i-a", "127.0.0.1:" + port, "i-b", "127.0.0.1:" + b.getLocalPort());
        try (Prober prober = new Prober(List.of("i-a", "i-b"), () -> addresses).start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> prober.probes() >= 10);
            long down = System.currentTimeMillis();
            a.close();
            Thread.sleep(2_000);
            long injected = System.currentTimeMillis() - down;
            ServerSocket again = listen(port);
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> prober.outages().stream().anyMatch(Outage::recovered));
                List<Outage> outages = prober.outages();
                assertThat(outages).hasSize(1);
                Outage o = outages.getFirst();
                assertThat(o.instance()).isEqualTo("i-a");
                assertThat(o.recovered()).isTrue();
                assertThat((double) o.durationMs()).as("measured %d ms against %d ms injected", o.durationMs(), injected)
                        .isCloseTo(injected, org.assertj.core.data.Offset.offset(500.0));
            } finally {
                again.close();
                b.close();
            }
        }
    }

    @Test
    @DisplayName("an instance the cloud shows without an address is down from the first probe, and still down at the end")
    void noAddress() {
        AtomicReference<Map<String, String>> addresses = new AtomicReference<>(Map.of());
        try (Prober prober = new Prober(List.of("i-x"), addresses::get).start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> prober.probes() >= 3);
            assertThat(prober.downNow()).isEqualTo(1);
            List<Outage> outages = prober.outages();
            assertThat(outages).singleElement().satisfies(o -> assertThat(o.recovered()).isFalse());
        }
    }
}
