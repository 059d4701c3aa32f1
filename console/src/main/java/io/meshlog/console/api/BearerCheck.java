package io.meshlog.console.api;

import io.meshlog.console.config.ConsoleToken;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Lets {@code /api} requests through when they carry a known {@code Authorization: Bearer} token
 * (compared in constant time, as the policy API does), or when no tokens are configured (the
 * console is then bound to loopback: {@code ConsoleConfig} refuses anything else).
 */
final class BearerCheck implements Handler<RoutingContext> {
    private final List<byte[]> tokens;

    BearerCheck(List<ConsoleToken> tokens) {
        this.tokens = tokens.stream().map(t -> t.token().getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (tokens.isEmpty() || known(ctx.request().getHeader("Authorization"))) {
            ctx.next();
            return;
        }
        ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", "authentication required: send 'Authorization: Bearer <token>'")
                        .encode());
    }

    private boolean known(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        var presented = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (var token : tokens) {
            match |= MessageDigest.isEqual(token, presented);
        }
        return match;
    }
}
