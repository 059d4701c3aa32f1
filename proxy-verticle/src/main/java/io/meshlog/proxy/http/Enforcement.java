package io.meshlog.proxy.http;

import io.meshlog.schemas.v1.WouldHave;

/**
 * The one place an enforcement point turns its decision into an action under the request's
 * MeshMode: in ENFORCE the refusal stands; in OBSERVE the request goes on as the app sent it and the
 * decision is recorded on it (telemetry {@code wouldHave}, metric {@code meshlog_proxy_observe_would_total}).
 */
public final class Enforcement {
    private Enforcement() {}

    /**
     * Whether to act on a decision to refuse or change {@code ctx} as {@code decision}; when not
     * (OBSERVE), the decision is recorded instead.
     */
    public static boolean enforces(RequestContext ctx, WouldHave decision) {
        if (ctx.observe()) {
            ctx.wouldHave(decision);
            return false;
        }
        return true;
    }
}
