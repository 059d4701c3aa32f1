package io.meshlog.cert.config;

import io.meshlog.schemas.topics.TopicCatalogue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything cert-service needs to run. Immutable; validated on construction.
 *
 * @param trustDomain the SPIFFE trust domain this CA signs for, e.g. {@code cluster.local}
 * @param stateDir where the CA key, the token key and the revocation lists live (created 0700)
 * @param leafLifetime lifetime of issued workload certificates (default 24h, at least 1s)
 * @param topics the topic catalogue (tests pass a prefixed one)
 * @param kafka Kafka client settings (at least {@code bootstrap.servers}), shared by producer,
 *     consumer and admin
 * @param replicationFactor replication of the topics cert-service creates if missing
 * @param adminPort port of the admin HTTP endpoint ({@code POST /tokens}); 0 = any free port,
 *     -1 = no admin endpoint
 * @param adminBearerToken the operator's bearer token guarding the admin endpoint (redacted in
 *     {@link #toString()}); required when the admin endpoint is on
 * @param suppliedCa PEM files of an operator-supplied CA, or empty to generate a root
 */
public record CertServiceConfig(
        String trustDomain,
        Path stateDir,
        Duration leafLifetime,
        TopicCatalogue topics,
        Map<String, Object> kafka,
        short replicationFactor,
        int adminPort,
        String adminBearerToken,
        Optional<SuppliedCa> suppliedCa) {

    /** Default lifetime of a workload certificate. */
    public static final Duration DEFAULT_LEAF_LIFETIME = Duration.ofHours(24);

    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]{1,255}");

    public CertServiceConfig {
        ConfigException.require(trustDomain != null && TRUST_DOMAIN.matcher(trustDomain).matches(),
                "cert.trustDomain", "must be lowercase letters, digits, '.', '-' or '_', but was '"
                        + trustDomain + "'");
        ConfigException.require(stateDir != null, "cert.stateDir", "must be set");
        leafLifetime = leafLifetime == null ? DEFAULT_LEAF_LIFETIME : leafLifetime;
        ConfigException.require(leafLifetime.compareTo(Duration.ofSeconds(1)) >= 0
                        && leafLifetime.compareTo(Duration.ofDays(366)) <= 0,
                "cert.leafLifetime", "must be between 1s and 366d, but was " + leafLifetime);
        topics = topics == null ? TopicCatalogue.standard() : topics;
        ConfigException.require(kafka != null && kafka.get("bootstrap.servers") != null,
                "kafka.bootstrap.servers", "must be set");
        kafka = Map.copyOf(new HashMap<>(kafka));
        ConfigException.require(replicationFactor >= 1, "cert.replicationFactor",
                "must be at least 1, but was " + replicationFactor);
        ConfigException.require(adminPort >= -1 && adminPort <= 65535, "cert.admin.port",
                "must be -1 (off), 0 (any free port) or 1-65535, but was " + adminPort);
        ConfigException.require(adminPort == -1
                        || (adminBearerToken != null && adminBearerToken.length() >= 16),
                "cert.admin.bearerToken", "must be at least 16 characters when the admin port is on");
        suppliedCa = suppliedCa == null ? Optional.empty() : suppliedCa;
    }

    /**
     * PEM files of a CA the operator supplies instead of letting cert-service make a root.
     *
     * @param certificate the signing certificate (a root, or an intermediate)
     * @param privateKey its private key; must be mode 0600
     * @param chain the certificates above the signer up to and including the root, or empty when
     *     the signer is the root
     */
    public record SuppliedCa(Path certificate, Path privateKey, Optional<Path> chain) {
        public SuppliedCa {
            ConfigException.require(certificate != null, "cert.ca.certificate", "must be set");
            ConfigException.require(privateKey != null, "cert.ca.privateKey", "must be set");
            chain = chain == null ? Optional.empty() : chain;
        }
    }

    /** A copy with another leaf lifetime. */
    public CertServiceConfig withLeafLifetime(Duration lifetime) {
        return new CertServiceConfig(trustDomain, stateDir, lifetime, topics, kafka,
                replicationFactor, adminPort, adminBearerToken, suppliedCa);
    }

    @Override
    public String toString() {
        return "CertServiceConfig[trustDomain=" + trustDomain + ", stateDir=" + stateDir
                + ", leafLifetime=" + leafLifetime + ", topicPrefix='" + topics.prefix()
                + "', bootstrap=" + kafka.get("bootstrap.servers") + ", adminPort=" + adminPort
                + ", adminBearerToken=" + (adminBearerToken == null ? "none" : "<redacted>")
                + ", suppliedCa=" + suppliedCa + "]";
    }
}
