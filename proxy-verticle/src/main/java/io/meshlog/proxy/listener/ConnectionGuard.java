package io.meshlog.proxy.listener;

import io.meshlog.proxy.config.HttpLimits;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.function.Consumer;

/**
 * Makes an HTTP server strict about HTTP/1.1: every new HTTP/1.x connection gets its own {@link
 * Http1Guard}; whatever Netty's decoder still refuses is answered with the matching status and
 * {@code DPE}. {@code before} runs first on each connection (the inbound listener's transport
 * sniffer, so the guard sees decrypted bytes).
 */
public final class ConnectionGuard implements Handler<HttpConnection> {
    private static final String NAME = "meshlog-http1-guard";
    private final HttpLimits limits;
    private final Consumer<Rejection> rejected;
    private final Handler<HttpConnection> before;
    private final H2cSplice h2c;

    /**
     * @param rejected told of every refusal (the listener's metric)
     * @param before runs on each connection before the guard is installed, or null
     * @param h2c where HTTP/2 prior-knowledge connections go, or null when the listener refuses them
     */
    public ConnectionGuard(HttpLimits limits, Consumer<Rejection> rejected, Handler<HttpConnection> before,
            H2cSplice h2c) {
        this.h2c = h2c;
        this.limits = limits;
        this.rejected = rejected;
        this.before = before;
    }

    @Override
    public void handle(HttpConnection connection) {
        if (before != null) {
            before.handle(connection);
        }
        var guard = new Http1Guard(limits, rejected, h2c);
        VertxHttp1Pipeline.install(connection, NAME, guard.bytes(), guard.messages());
    }

    /** Netty's own limits, set above the guard's so the guard answers first and precisely. */
    public static HttpServerOptions withDecoderLimits(HttpServerOptions options, HttpLimits limits) {
        return options.setMaxInitialLineLength(limits.maxUriBytes() + 1024)
                .setMaxHeaderSize(limits.maxHeaderBytes() + 1024);
    }

    /** The server's {@code invalidRequestHandler}: what Netty's decoder refused, answered like the guard. */
    public void invalidRequest(HttpServerRequest request) {
        var cause = request.decoderResult().cause();
        var why = cause instanceof TooLongHttpLineException ? Rejection.URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException
                        ? Rejection.HEADERS_TOO_LARGE : Rejection.BAD_REQUEST_LINE;
        rejected.accept(why);
        request.response().setStatusCode(why.status()).putHeader("x-response-flags", "DPE")
                .putHeader("connection", "close").putHeader("content-type", "text/plain").end(why.message() + "\n");
    }
}
