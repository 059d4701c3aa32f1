package io.meshlog.proxy.inbound;

import io.meshlog.proxy.http.Enforcement;
import io.meshlog.proxy.http.Failure;
import io.meshlog.proxy.http.RequestContext;
import io.meshlog.proxy.observability.ProxyMetrics;
import io.meshlog.proxy.ratelimit.TokenBucket;
import io.meshlog.proxy.snapshot.MeshSnapshot;
import io.meshlog.schemas.v1.WouldHave;

/** The inbound listener's local rate limits (RateLimitPolicies without routes): 429 RL when out of tokens. */
public final class ListenerRateLimitInterceptor implements InboundInterceptor {
    private final ProxyMetrics metrics;

    public ListenerRateLimitInterceptor(ProxyMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Failure intercept(RequestContext ctx, MeshSnapshot snapshot) {
        var limits = snapshot.listenerLimits();
        for (int i = 0; i < limits.size(); i++) {
            var decision = limits.get(i).bucket().acquire();
            if (decision == TokenBucket.Decision.LIMITED) {
                return Enforcement.enforces(ctx, WouldHave.RATE_LIMIT) ? Failure.RATE_LIMITED : null;
            }
            if (decision == TokenBucket.Decision.SHADOW_LIMITED) {
                metrics.shadowLimited();
            }
        }
        return null;
    }
}
