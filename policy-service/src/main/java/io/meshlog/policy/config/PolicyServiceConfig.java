package io.meshlog.policy.config;

import io.meshlog.policy.parse.YamlLimits;
import io.meshlog.schemas.auth.BearerToken;
import io.meshlog.schemas.topics.TopicCatalogue;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the policy service needs.
 *
 * @param host address the REST API listens on
 * @param port its port (0: any free one)
 * @param bootstrapServers Kafka
 * @param topics topic names (tests use a prefix)
 * @param tokens bearer tokens; empty: no authentication at all (dev only)
 * @param protectReads whether reads need a token too
 * @param publishTimeout how long a write waits for Kafka before answering 503
 * @param limits limits of the YAML parser
 * @param kafka extra Kafka client settings passed through as they are
 * @param createTopics whether to create the policy and ack topics at start-up
 * @param proxyExpiry how long a proxy stays in the status view (and in {@code apply --wait}) after
 *     its last ack or heartbeat: a proxy that crashed leaves the view after this long, one that
 *     shut down cleanly at once (its tombstone)
 */
public record PolicyServiceConfig(
        String host, int port, String bootstrapServers, TopicCatalogue topics, List<BearerToken> tokens,
        boolean protectReads, Duration publishTimeout, YamlLimits limits, Map<String, Object> kafka,
        boolean createTopics, Duration proxyExpiry) {
    /** Port of the REST API unless configured. */
    public static final int DEFAULT_PORT = 8081;
    /** How long a write waits for Kafka unless configured. */
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(10);
    /** Three of the proxies' default 30 s heartbeats. */
    public static final Duration DEFAULT_PROXY_EXPIRY = Duration.ofSeconds(90);

    public PolicyServiceConfig {
        ConfigException.require(host != null && !host.isBlank(), "http.host", "must not be empty");
        ConfigException.require(port >= 0 && port <= 65535, "http.port", "must be between 0 and 65535, but was " + port);
        ConfigException.require(bootstrapServers != null && !bootstrapServers.isBlank(), "kafka.bootstrapServers",
                "must not be empty");
        ConfigException.require(publishTimeout != null && publishTimeout.toMillis() > 0, "publishTimeout",
                "must be a positive duration, but was " + publishTimeout);
        topics = topics == null ? TopicCatalogue.standard() : topics;
        tokens = List.copyOf(tokens == null ? List.of() : tokens);
        limits = limits == null ? YamlLimits.DEFAULT : limits;
        kafka = Map.copyOf(kafka == null ? Map.of() : kafka);
        ConfigException.require(!protectReads || !tokens.isEmpty(), "auth.protectReads", "needs at least one token");
        proxyExpiry = proxyExpiry == null ? DEFAULT_PROXY_EXPIRY : proxyExpiry;
        ConfigException.require(proxyExpiry.toMillis() > 0, "proxyExpiry",
                "must be a positive duration, but was " + proxyExpiry);
    }

    /** The config with the default proxy expiry. */
    public PolicyServiceConfig(
            String host, int port, String bootstrapServers, TopicCatalogue topics, List<BearerToken> tokens,
            boolean protectReads, Duration publishTimeout, YamlLimits limits, Map<String, Object> kafka,
            boolean createTopics) {
        this(host, port, bootstrapServers, topics, tokens, protectReads, publishTimeout, limits, kafka, createTopics,
                DEFAULT_PROXY_EXPIRY);
    }

    /** A config for tests and dev: loopback, port 0, the given Kafka and topic prefix, one writer token. */
    public static PolicyServiceConfig forTests(String bootstrapServers, String topicPrefix, String writerToken) {
        return new PolicyServiceConfig("127.0.0.1", 0, bootstrapServers, new TopicCatalogue(topicPrefix),
                writerToken == null ? List.of() : List.of(new BearerToken("tester", writerToken, true)),
                false, DEFAULT_PUBLISH_TIMEOUT, YamlLimits.DEFAULT, Map.of(), true);
    }

    /** The config with Kafka settings that look secret (passwords, JAAS, keys) redacted. */
    @Override
    public String toString() {
        var safeKafka = new java.util.TreeMap<String, Object>();
        kafka.forEach((key, value) -> safeKafka.put(key, key.matches("(?i).*(password|jaas|secret|key).*") ? "<redacted>" : value));
        return "PolicyServiceConfig[host=" + host + ", port=" + port + ", bootstrapServers=" + bootstrapServers
                + ", topics=" + topics + ", tokens=" + tokens + ", protectReads=" + protectReads + ", publishTimeout="
                + publishTimeout + ", limits=" + limits + ", kafka=" + safeKafka + ", createTopics=" + createTopics
                + ", proxyExpiry=" + proxyExpiry + "]";
    }

    /** Whether callers must present a token to write. */
    public boolean authEnabled() {
        return !tokens.isEmpty();
    }
}
