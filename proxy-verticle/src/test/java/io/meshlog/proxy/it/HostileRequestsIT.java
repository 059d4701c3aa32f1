package io.meshlog.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every request of the hostile corpus, sent raw to both listeners of a real proxy in front of a
 * {@link RawUpstream}: the exact status (no MUST-reject input answered 2xx), the connection closed
 * after a refusal, the upstream framing exactly the requests the proxy accepted (no desync),
 * nothing hop-by-hop or identity-claiming forwarded, and the proxy still answering afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsIT {
    private ProxyHarness proxy;
    private RawUpstream upstream;

    @BeforeAll
    void start() throws Exception {
        upstream = new RawUpstream(0);
        proxy = new ProxyHarness().start("""
                proxy: {id: p1, workload: frontend}
                listeners:
                  outbound: {port: 0}
                  inbound: {port: 0, appPort: %d}
                  admin: {port: 0}
                services:
                  - name: orders
                    endpoints: [{port: %d, workload: orders-v1}]
                """.formatted(upstream.port(), upstream.port()), Clock.systemUTC());
    }

    @AfterAll
    void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    @Test
    void theCorpusHoldsOverAHundredHostileRequestsOfEveryClass() {
        var entries = HostileCorpus.load();

        assertThat(entries).hasSizeGreaterThanOrEqualTo(100);
        assertThat(entries).extracting(HostileCorpus.Entry::kind)
                .contains("CL.TE", "TE.CL", "TE.TE", "framing", "header-syntax", "request-line", "hop-by-hop");
        assertThat(entries.stream().filter(HostileCorpus.Entry::refused).count()).isGreaterThan(80);
    }

    @TestFactory
    Stream<DynamicTest> outboundListener() {
        return tests("outbound", () -> proxy.verticle.outboundPort());
    }

    @TestFactory
    Stream<DynamicTest> inboundListener() {
        return tests("inbound", () -> proxy.verticle.inboundPort());
    }

    private Stream<DynamicTest> tests(String listener, java.util.function.IntSupplier port) {
        return HostileCorpus.load().stream()
                .filter(entry -> entry.listener().equals("both") || entry.listener().equals(listener))
                .map(entry -> DynamicTest.dynamicTest(listener + ": " + entry, () -> {
                    List<String> failures = HostileCorpus.check(entry, port.getAsInt(), "orders", upstream, true);
                    assertThat(failures).as(entry.name()).isEmpty();
                }));
    }
}
