package io.meshlog.cert.csr;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.meshlog.schemas.v1.RejectionReason;
import java.util.EnumMap;
import java.util.Map;

/** cert-service's meters: certificates issued, requests rejected by reason. */
public final class CertificateMetrics {
    static final String ISSUED = "meshlog.cert.issued";
    static final String REJECTED = "meshlog.cert.rejected";

    private final Counter issued;
    private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);

    public CertificateMetrics(MeterRegistry registry) {
        issued = Counter.builder(ISSUED).description("Workload certificates issued")
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

    void rejected(RejectionReason reason) {
        rejected.get(reason).increment();
    }
}
