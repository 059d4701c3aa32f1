package io.meshlog.proxy.mesh;

import io.meshlog.proxy.config.ConfigException;
import io.meshlog.proxy.identity.IdentityConfig;
import io.meshlog.proxy.identity.SpiffeId;
import io.meshlog.schemas.topics.TopicCatalogue;
import java.nio.file.Path;
import java.util.Map;

/**
 * The workload identity of a control-plane proxy: which SPIFFE id it asks cert-service for and
 * the join token that grants it. The token is read from a file by the loader (never from an
 * environment value) and is never logged: {@link #toString()} shows the file, not the token.
 *
 * @param trustDomain the SPIFFE trust domain, e.g. {@code cluster.local}
 * @param serviceAccount the workload's service account (the {@code sa} of its SPIFFE id)
 * @param rootNamespace the namespace whose selector-less policies are mesh-wide
 * @param joinTokenFile where the token was read from (for messages)
 * @param joinToken the join token (secret)
 */
public record IdentitySettings(String trustDomain, String serviceAccount, String rootNamespace, Path joinTokenFile,
        String joinToken) {
    /** Istio's default trust domain, and cert-service's. */
    public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";
    /** Istio's root namespace is {@code istio-system}; ours. */
    public static final String DEFAULT_ROOT_NAMESPACE = io.meshlog.policy.model.MeshScope.DEFAULT_ROOT_NAMESPACE;

    public IdentitySettings {
        trustDomain = trustDomain == null || trustDomain.isBlank() ? DEFAULT_TRUST_DOMAIN : trustDomain;
        rootNamespace = rootNamespace == null || rootNamespace.isBlank() ? DEFAULT_ROOT_NAMESPACE : rootNamespace;
        ConfigException.require(serviceAccount != null && !serviceAccount.isBlank(), "service.account",
                "must name the workload's service account, but was " + serviceAccount);
        ConfigException.require(joinTokenFile != null, "join.token.file", "must name the join token's file");
        ConfigException.require(joinToken != null && !joinToken.isBlank(), "join.token.file",
                "'" + joinTokenFile + "' holds no join token");
        // never echo the token itself, not even a malformed one
        ConfigException.require(joinToken.indexOf('.') > 0 && joinToken.chars().noneMatch(Character::isWhitespace),
                "join.token.file", "'" + joinTokenFile + "' does not hold a join token (<claims>.<signature> from"
                        + " cert-service or meshctl token create)");
    }

    /** The SPIFFE id this workload asks for in {@code namespace}. */
    public SpiffeId spiffeId(String namespace) {
        try {
            return new SpiffeId(trustDomain, namespace, serviceAccount);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("trust.domain/namespace/service.account", e.getMessage(), e);
        }
    }

    /** What {@link MeshProxy#withIdentity} takes, with the defaults for timeouts, backoff and jitter. */
    public IdentityConfig identityConfig(String proxyId, String namespace, String bootstrapServers,
            TopicCatalogue topics) {
        return IdentityConfig.of(proxyId, spiffeId(namespace), joinToken, topics,
                Map.of("bootstrap.servers", bootstrapServers));
    }

    @Override
    public String toString() {
        return "IdentitySettings[trustDomain=" + trustDomain + ", serviceAccount=" + serviceAccount
                + ", rootNamespace=" + rootNamespace + ", joinTokenFile=" + joinTokenFile + ", joinToken=<redacted>]";
    }
}
