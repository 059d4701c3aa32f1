package io.meshlog.proxy.security;

import io.meshlog.proxy.identity.KeyCertMaterial;
import io.meshlog.proxy.identity.WorkloadIdentity;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the proxy's key, certificate and trust bundle come from: a {@link WorkloadIdentity} (the
 * mesh: cert-service over Kafka) or a {@link MaterialFeed} (embedding, tests).
 */
public interface MaterialSource {
    /** The current material, once there is one. */
    Optional<KeyCertMaterial> current();

    /** Hears every new material (renewal, trust bundle change) from now on; must not block. */
    void onMaterial(Consumer<KeyCertMaterial> listener);

    /** The material of a workload identity (start it yourself; readiness waits for its certificate). */
    static MaterialSource of(WorkloadIdentity identity) {
        return new MaterialSource() {
            @Override
            public Optional<KeyCertMaterial> current() {
                return identity.current();
            }

            @Override
            public void onMaterial(Consumer<KeyCertMaterial> listener) {
                identity.onMaterial(listener);
            }
        };
    }
}
