package io.meshlog.pipeline.canary;

import java.util.OptionalLong;

/** The generations the proxies last acknowledged (mesh.config.acks.v1). */
@FunctionalInterface
interface AckView {
    /**
     * The generation of {@code policyKey} that {@code proxyId} applies: empty when the proxy sends
     * no ConfigAck at all (it cannot be waited for), 0 when it applies none of that policy yet.
     */
    OptionalLong applied(String proxyId, String policyKey);
}
