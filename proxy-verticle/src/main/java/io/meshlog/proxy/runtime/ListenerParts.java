package io.meshlog.proxy.runtime;

import io.meshlog.proxy.inbound.InboundInterceptor;
import io.meshlog.proxy.http.RequestLabels;
import io.meshlog.proxy.resilience.Cluster;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What every event loop's listeners share: the runtime, the inbound interceptor chain (stateless or
 * thread-safe), the metric labels' caches and the local app's cluster (one circuit breaker and one
 * endpoint state for the app, whichever loop a request arrives on).
 */
record ListenerParts(ProxyRuntime runtime, List<InboundInterceptor> inboundInterceptors,
        UnaryOperator<HttpServerOptions> inboundOptions, RequestLabels labels, Cluster app) {}
