package io.meshlog.dev;

import com.hazelcast.core.HazelcastInstance;
import io.meshlog.proxy.discovery.HazelcastConfigs;
import io.meshlog.proxy.discovery.HazelcastSettings;
import java.util.List;

/** The Hazelcast member that holds the endpoint registry, bound to 127.0.0.1. */
final class HazelcastComponent implements DevComponent {
    static final String CLUSTER_NAME = "meshlog-dev";

    private HazelcastInstance instance;

    @Override
    public String name() {
        return "hazelcast";
    }

    @Override
    public void start() {
        try {
            instance = HazelcastConfigs.connect(HazelcastSettings.embedded(CLUSTER_NAME));
        } catch (RuntimeException e) {
            throw new DevStartException("cannot start the Hazelcast member: " + e.getMessage(), e);
        }
    }

    HazelcastInstance instance() {
        return instance;
    }

    @Override
    public List<String> endpoints() {
        var address = instance.getCluster().getLocalMember().getAddress();
        return List.of("hazelcast (registry)      " + address.getHost() + ":" + address.getPort());
    }

    @Override
    public void close() {
        if (instance != null) {
            instance.shutdown();
        }
    }
}
