package io.meshlog.proxy.mesh;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * The control-plane proxies of one test's mesh with the Vert.x instance and the embedded Hazelcast
 * member they share; {@link #close()} stops the proxies first, then what they used.
 */
final class MeshProxies implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final HazelcastInstance hazelcast = MeshTestKit.hazelcast();
    private final List<MeshProxy> started = new ArrayList<>();

    MeshProxy start(MeshProxyConfig config) throws Exception {
        var proxy = MeshTestKit.start(vertx, hazelcast, config);
        started.add(proxy);
        return proxy;
    }

    List<MeshProxy> started() {
        return List.copyOf(started);
    }

    @Override
    public void close() throws Exception {
        started.forEach(MeshProxy::close);
        MeshTestKit.await(vertx.close());
        hazelcast.shutdown();
    }
}
