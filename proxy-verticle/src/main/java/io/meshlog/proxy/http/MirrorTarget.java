package io.meshlog.proxy.http;

import io.meshlog.proxy.resilience.Candidates;
import io.meshlog.proxy.resilience.Cluster;
import io.vertx.core.net.HostAndPort;

/**
 * Where the copy of a mirrored request goes.
 *
 * @param cluster the mirror destination's service
 * @param candidates the endpoints of its subset and port, under its own pool limits and breaker
 * @param authority the Host / :authority of the copy: the primary's with {@code -shadow} appended
 *     to the host (Envoy's rule: before the port)
 */
public record MirrorTarget(Cluster cluster, Candidates candidates, HostAndPort authority) {
    static final String SUFFIX = "-shadow";

    /** {@code orders:8080} becomes {@code orders-shadow:8080}; {@code orders} becomes {@code orders-shadow}. */
    public static HostAndPort shadowAuthority(HostAndPort primary) {
        return HostAndPort.create(primary.host() + SUFFIX, primary.port());
    }
}
