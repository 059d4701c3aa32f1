package io.meshlog.proxy.discovery;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig.ReconnectMode;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * Builds Hazelcast's configuration from {@link HazelcastSettings}. The embedded member is
 * loopback-only: bound to 127.0.0.1, no multicast, no cloud auto-detection, no phone-home, and it
 * joins only the TCP-IP members listed.
 */
public final class HazelcastConfigs {
    private HazelcastConfigs() {}

    /** Starts an embedded member or connects a client, as {@code settings} say. */
    public static HazelcastInstance connect(HazelcastSettings settings) {
        return switch (settings.mode()) {
            case EMBEDDED -> Hazelcast.newHazelcastInstance(member(settings));
            case CLIENT -> HazelcastClient.newHazelcastClient(client(settings));
        };
    }

    /** A loopback-only member configuration. */
    public static Config member(HazelcastSettings settings) {
        var config = new Config();
        config.setClusterName(settings.clusterName());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        // Registrations expire by TTL; a 1 s sweep (default 5 s) keeps crashed workloads short-lived.
        config.setProperty("hazelcast.internal.map.expiration.task.period.seconds", "1");
        var network = config.getNetworkConfig();
        network.setPort(settings.port());
        network.setPortAutoIncrement(settings.port() == HazelcastSettings.DEFAULT_PORT);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        var join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        return config;
    }

    /** A client configuration that connects to the listed members and reconnects forever. */
    public static ClientConfig client(HazelcastSettings settings) {
        var config = new ClientConfig();
        config.setClusterName(settings.clusterName());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.getNetworkConfig().setAddresses(settings.members());
        // Start only once connected (the registry needs the map), then reconnect in the background.
        config.getConnectionStrategyConfig().setAsyncStart(false).setReconnectMode(ReconnectMode.ON);
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(-1);
        return config;
    }
}
