package io.meshlog.dev;

import io.meshlog.cert.CertService;
import io.meshlog.cert.config.CertServiceConfig;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The mesh CA; its root key lives under the state directory, so it survives restarts. */
final class CertServiceComponent implements DevComponent {
    static final String TRUST_DOMAIN = "cluster.local";

    private final Supplier<String> bootstrapServers;
    private final Path stateDirectory;
    private final Duration leafLifetime;
    private CertService service;

    CertServiceComponent(Supplier<String> bootstrapServers, Path stateDirectory, Duration leafLifetime) {
        this.bootstrapServers = bootstrapServers;
        this.stateDirectory = stateDirectory;
        this.leafLifetime = leafLifetime;
    }

    @Override
    public String name() {
        return "cert-service";
    }

    @Override
    public void start() {
        var config = new CertServiceConfig(TRUST_DOMAIN, stateDirectory, leafLifetime,
                TopicCatalogue.standard(), Map.of("bootstrap.servers", bootstrapServers.get()),
                (short) 1, -1, null, Optional.empty());
        try {
            service = CertService.start(config, new SimpleMeterRegistry(), Clock.systemUTC());
        } catch (RuntimeException e) {
            throw new DevStartException("cannot start cert-service: " + e.getMessage(), e);
        }
    }

    CertService service() {
        return service;
    }

    @Override
    public List<String> endpoints() {
        return List.of("cert-service (CA)         trust domain " + TRUST_DOMAIN + ", CA in " + stateDirectory);
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
    }
}
