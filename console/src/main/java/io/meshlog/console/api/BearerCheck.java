package io.meshlog.console.api;

import io.meshlog.schemas.auth.BearerToken;
import io.meshlog.schemas.auth.BearerTokens;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Lets {@code /api} requests through when they carry a known {@code Authorization: Bearer} token
 * (the policy API's scheme, from the schemas module's {@link BearerTokens}), or when no tokens are
 * configured (the console is then bound to loopback: {@code ConsoleConfig} refuses anything else).
 */
final class BearerCheck implements Handler<RoutingContext> {
    private final BearerTokens tokens;

    BearerCheck(List<BearerToken> tokens) {
        this.tokens = new BearerTokens(tokens);
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (tokens.isEmpty() || tokens.match(ctx.request().getHeader("Authorization")).isPresent()) {
            ctx.next();
            return;
        }
        ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", "authentication required: send 'Authorization: Bearer <token>'")
                        .encode());
    }
}
