package io.meshlog.cert.csr;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.meshlog.schemas.v1.RejectionReason;
import java.util.EnumMap;
import java.util.Map;

/** cert-service's meters: certificates issued, requests rejected by reason, signer takeovers. */
public final class CertificateMetrics {
    static final String ISSUED = "meshlog.cert.issued";
    static final String REJECTED = "meshlog.cert.rejected";
    static final String TAKEOVERS = "meshlog.cert.signer.takeovers";

    private final Counter issued;
    private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);
    private final Counter takeOvers;

    public CertificateMetrics(MeterRegistry registry) {
        issued = Counter.builder(ISSUED).description("Workload certificates issued")
                .register(registry);
        takeOvers = Counter.builder(TAKEOVERS)
                .description("Times this instance became the signer (won the election and fenced any older signer)")
                .register(registry);
        for (var reason : RejectionReason.values()) {
            rejected.put(reason, Counter.builder(REJECTED)
                    .description("Certificate requests refused, by reason")
                    .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry));
        }
    }

    void issued() {
        issued.increment();
    }

    void takeOver() {
        takeOvers.increment();
    }

    void rejected(RejectionReason reason) {
        rejected.get(reason).increment();
    }
}
