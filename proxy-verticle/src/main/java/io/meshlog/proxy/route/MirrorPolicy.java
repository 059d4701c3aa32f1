package io.meshlog.proxy.route;

/**
 * Istio's {@code mirror} and {@code mirrorPercentage} of one route: where copies of its requests go.
 *
 * @param service the mirror destination's service (host)
 * @param subset its DestinationRule subset, or null for all endpoints
 * @param port its service port, or 0 for every endpoint
 * @param percentage the share of requests mirrored, 0 to 100 (Istio's default is 100)
 */
public record MirrorPolicy(String service, String subset, int port, double percentage) {
    public MirrorPolicy {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("mirror.host must be set");
        }
        if (!(percentage >= 0 && percentage <= 100)) {
            throw new IllegalArgumentException("mirrorPercentage must be between 0 and 100, but was " + percentage);
        }
    }

    /** Whether a request with the uniform draw {@code draw} in [0, 100) is mirrored. */
    public boolean samples(double draw) {
        return draw < percentage;
    }
}
