package io.meshlog.proxy.identity;

import io.meshlog.schemas.topics.TopicCatalogue;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How a proxy obtains and renews its workload certificate.
 *
 * @param proxyId this proxy's id (the key of its requests and certificates)
 * @param spiffeId the identity to ask for; must be the one the join token grants
 * @param joinToken the operator's join token (secret: redacted in {@link #toString()}, never sent)
 * @param topics topic catalogue (tests pass a prefixed one)
 * @param kafka Kafka client settings, at least {@code bootstrap.servers}
 * @param requestTimeout how long to wait for cert-service's answer before retrying
 * @param minBackoff first retry delay after a failed or unanswered request
 * @param maxBackoff longest retry delay
 * @param renewalJitter fraction of the half-life by which a renewal may come early (0 to 0.5)
 * @param clock the clock renewals and expiry warnings are computed with
 */
public record IdentityConfig(
        String proxyId,
        SpiffeId spiffeId,
        String joinToken,
        TopicCatalogue topics,
        Map<String, Object> kafka,
        Duration requestTimeout,
        Duration minBackoff,
        Duration maxBackoff,
        double renewalJitter,
        Clock clock) {

    /** Default wait for an answer from cert-service. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default first retry delay. */
    public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(500);
    /** Default longest retry delay. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    /** Default renewal jitter: renew between 40% and 50% of the lifetime. */
    public static final double DEFAULT_RENEWAL_JITTER = 0.2;

    public IdentityConfig {
        require(proxyId != null && !proxyId.isBlank(), "identity.proxyId", "must be set");
        require(spiffeId != null, "identity.spiffeId", "must be set");
        require(joinToken != null && joinToken.contains("."), "identity.joinToken",
                "must be a join token (<claims>.<signature>) from cert-service");
        topics = topics == null ? TopicCatalogue.standard() : topics;
        require(kafka != null && kafka.get("bootstrap.servers") != null, "identity.kafka.bootstrap.servers",
                "must be set");
        kafka = Map.copyOf(new HashMap<>(kafka));
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        minBackoff = minBackoff == null ? DEFAULT_MIN_BACKOFF : minBackoff;
        maxBackoff = maxBackoff == null ? DEFAULT_MAX_BACKOFF : maxBackoff;
        require(requestTimeout.toMillis() > 0, "identity.requestTimeout",
                "must be positive, but was " + requestTimeout);
        require(minBackoff.toMillis() > 0 && maxBackoff.compareTo(minBackoff) >= 0, "identity.backoff",
                "needs 0 < minBackoff <= maxBackoff, but was " + minBackoff + ".." + maxBackoff);
        require(renewalJitter >= 0 && renewalJitter <= 0.5, "identity.renewalJitter",
                "must be between 0 and 0.5, but was " + renewalJitter);
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** A config with the defaults for timeouts, backoff, jitter and clock. */
    public static IdentityConfig of(String proxyId, SpiffeId spiffeId, String joinToken,
            TopicCatalogue topics, Map<String, Object> kafka) {
        return new IdentityConfig(proxyId, spiffeId, joinToken, topics, kafka, null, null, null,
                DEFAULT_RENEWAL_JITTER, null);
    }

    private static void require(boolean ok, String path, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(path + ": " + problem);
        }
    }

    @Override
    public String toString() {
        return "IdentityConfig[proxyId=" + proxyId + ", spiffeId=" + spiffeId + ", joinToken=<redacted>"
                + ", topicPrefix='" + topics.prefix() + "', requestTimeout=" + requestTimeout
                + ", backoff=" + minBackoff + ".." + maxBackoff + ", renewalJitter=" + renewalJitter + "]";
    }
}
