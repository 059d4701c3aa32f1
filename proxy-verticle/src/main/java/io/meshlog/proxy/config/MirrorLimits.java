package io.meshlog.proxy.config;

import java.time.Duration;

/**
 * Bounds of traffic mirroring: shadows never delay or fail the primary request, so a slow mirror
 * destination costs at most this many copies in flight and this long each.
 *
 * @param maxInFlight shadows in flight at once in this proxy; a copy past it is dropped (counted)
 * @param timeout how long a shadow may take, to the end of its response body; then it is reset
 *     (counted, reported with flag UT) and the primary's telemetry event, which waited for it, goes out
 */
public record MirrorLimits(int maxInFlight, Duration timeout) {
    /** Shadows in flight by default: a slow mirror ties up at most this many connections. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 128;
    /** Envoy's default route timeout, used for shadows too. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    public static final MirrorLimits DEFAULTS = new MirrorLimits(DEFAULT_MAX_IN_FLIGHT, DEFAULT_TIMEOUT);

    public MirrorLimits {
        ConfigException.require(maxInFlight >= 0 && maxInFlight <= 100_000, "proxy.mirror.maxInFlight",
                "must be between 0 (mirroring off) and 100000, but was " + maxInFlight);
        ConfigException.require(timeout != null && timeout.toMillis() > 0, "proxy.mirror.timeout",
                "must be a positive duration, but was " + timeout);
    }
}
