package io.meshlog.proxy.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Meters of the security glue: inbound connections by transport and outcome (PeerAuthentication
 * refusals, failed handshakes), and outbound tries refused because the server's identity was not
 * one of the destination's. Tag values are bounded.
 */
final class SecurityMetrics {
    static final String INBOUND_CONNECTIONS = "meshlog.proxy.inbound.connections";
    static final String UPSTREAM_IDENTITY_REFUSED = "meshlog.proxy.upstream.identity.refused";

    private final MeterRegistry registry;

    SecurityMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param transport {@code mtls} or {@code plaintext}
     * @param mode the PeerAuthentication mode that decided
     * @param outcome {@code accepted}, {@code refused} or {@code handshake_failed}
     */
    void inboundConnection(String transport, String mode, String outcome) {
        Counter.builder(INBOUND_CONNECTIONS).description("Inbound connections by transport, PeerAuthentication mode and outcome")
                .tag("transport", transport).tag("mode", mode).tag("outcome", outcome).register(registry).increment();
    }

    void upstreamIdentityRefused(String destinationService) {
        Counter.builder(UPSTREAM_IDENTITY_REFUSED)
                .description("Outbound tries not sent because the server's SPIFFE id is not one of the destination's")
                .tag("destination_service", destinationService).register(registry).increment();
    }
}
