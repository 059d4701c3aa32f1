package io.meshlog.cert.jointoken;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes join tokens: one per service account, granting exactly
 * {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>} until now + ttl.
 * The signature part is HMAC-SHA256(token key, encoded claims). Thread-safe.
 */
public final class JoinTokenIssuer {
    /** Longest ttl an operator may ask for. */
    public static final Duration MAX_TTL = Duration.ofDays(365);

    private static final Logger LOGGER = LoggerFactory.getLogger(JoinTokenIssuer.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final JoinTokenKey key;
    private final String trustDomain;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public JoinTokenIssuer(JoinTokenKey key, String trustDomain, Clock clock) {
        this.key = key;
        this.trustDomain = trustDomain;
        this.clock = clock;
    }

    /**
     * @param namespace Kubernetes-style name (lowercase letters, digits, '-')
     * @param serviceAccount Kubernetes-style name
     * @param ttl how long the token may be used (1s to 365d)
     * @throws IllegalArgumentException naming the bad argument
     */
    public JoinToken issue(String namespace, String serviceAccount, Duration ttl) {
        requireName("namespace", namespace);
        requireName("service-account", serviceAccount);
        if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("ttl: must be between 1s and 365d, but was " + ttl);
        }
        var idBytes = new byte[12];
        random.nextBytes(idBytes);
        var claims = new JoinTokenClaims(B64.encodeToString(idBytes),
                "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount,
                clock.instant().plus(ttl));
        var encoded = claims.encode();
        var signature = key.sign(encoded.getBytes(StandardCharsets.US_ASCII));
        LOGGER.atInfo().addKeyValue("tokenId", claims.tokenId())
                .addKeyValue("spiffeId", claims.spiffeId())
                .addKeyValue("expiresAt", claims.expiresAt())
                .log("join token created");
        return new JoinToken(encoded + "." + B64.encodeToString(signature), claims);
    }

    private static void requireName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + ": must be a lowercase DNS label (a-z, 0-9, '-'),"
                    + " but was '" + value + "'");
        }
    }
}
