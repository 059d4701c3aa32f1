package io.meshlog.proxy.discovery;

import io.meshlog.proxy.config.ConfigException;

import java.util.List;

/**
 * How a proxy reaches Hazelcast: an embedded member on 127.0.0.1 (tests, {@code meshlog dev}) or a
 * client of a Hazelcast cluster (production).
 *
 * @param mode {@link Mode#EMBEDDED} or {@link Mode#CLIENT}
 * @param clusterName the cluster to join; members and clients of other clusters are refused, so
 *     parallel test runs on one machine stay apart
 * @param members {@code host[:port]} of the cluster's members: the TCP-IP join list of an embedded
 *     member, the addresses a client connects to
 * @param port the embedded member's port; with {@link #DEFAULT_PORT} the next free one up is taken
 *     when it is busy, any other port is used as is. Ignored by clients
 */
public record HazelcastSettings(Mode mode, String clusterName, List<String> members, int port) {
    /** Hazelcast's usual member port. */
    public static final int DEFAULT_PORT = 5701;
    /** The cluster name the mesh uses unless told otherwise. */
    public static final String DEFAULT_CLUSTER_NAME = "meshlog";

    public HazelcastSettings {
        if (mode == null) {
            throw new ConfigException("hazelcast.mode", "must be EMBEDDED or CLIENT");
        }
        if (clusterName == null || clusterName.isBlank()) {
            throw new ConfigException(
                    "hazelcast.clusterName", "must be non-blank, but was '" + clusterName + "'");
        }
        members = members == null ? List.of() : List.copyOf(members);
        if (mode == Mode.CLIENT && members.isEmpty()) {
            throw new ConfigException("hazelcast.members", "a client needs at least one"
                    + " member address (host[:port]), but none was given");
        }
        if (port < 1 || port > 65535) {
            throw new ConfigException("hazelcast.port", "must be 1-65535, but was " + port);
        }
    }

    /** An embedded member on 127.0.0.1 in cluster {@code clusterName}, default port. */
    public static HazelcastSettings embedded(String clusterName) {
        return new HazelcastSettings(Mode.EMBEDDED, clusterName, List.of("127.0.0.1"), DEFAULT_PORT);
    }

    /** A client of the cluster {@code clusterName} reached at {@code members}. */
    public static HazelcastSettings client(String clusterName, List<String> members) {
        return new HazelcastSettings(Mode.CLIENT, clusterName, members, DEFAULT_PORT);
    }

    /** Embedded member or client. */
    public enum Mode { EMBEDDED, CLIENT }
}
