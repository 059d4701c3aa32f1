package io.meshlog.proxy.listener;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import java.util.Optional;

/**
 * The one place the proxy reaches into Vert.x internals: the Netty pipeline of an HTTP server
 * connection ({@code io.vertx.core.http.impl.HttpServerConnection#channelHandlerContext}), its
 * channel ({@code io.vertx.core.net.impl.ConnectionBase#channel}, where the verified peer is kept)
 * and the names Vert.x 5 gives its HTTP/1.x handlers ({@code httpDecoder}, {@code handler}).
 * {@code VertxHttp1PipelineContractTest} pins these, and {@code TransportSnifferContractIT}
 * (cert-service's tests, which have real certificates) pins what the mTLS sniffer relies on: a
 * handler put first from the connection handler sees the first byte, and an {@code SslHandler} it
 * puts in its place makes Vert.x report the connection as TLS with the peer's certificates. A
 * Vert.x upgrade that changes any of it fails there and not in production.
 */
public final class VertxHttp1Pipeline {
    /** Vert.x's {@code VertxHttpRequestDecoder}. */
    static final String DECODER = "httpDecoder";
    /** Vert.x's connection handler, the last in the pipeline. */
    static final String HANDLER = "handler";

    private VertxHttp1Pipeline() {}

    /** The Netty pipeline of a server connection, when it is a Vert.x one. */
    public static Optional<ChannelPipeline> pipeline(HttpConnection connection) {
        if (connection instanceof io.vertx.core.http.impl.HttpServerConnection internal) {
            return Optional.of(internal.channelHandlerContext().pipeline());
        }
        return Optional.empty();
    }

    /** The Netty channel of a connection, when it is a Vert.x one (attributes live there per connection). */
    public static Optional<Channel> channel(HttpConnection connection) {
        if (connection instanceof io.vertx.core.net.impl.ConnectionBase base) {
            return Optional.of(base.channel());
        }
        return Optional.empty();
    }

    /**
     * Puts {@code beforeDecoder} in front of the HTTP/1.x decoder (it sees raw, decrypted bytes)
     * and {@code beforeHandler} between the codec and Vert.x (it sees decoded requests and the
     * responses being written).
     *
     * @return false when the connection has no HTTP/1.x decoder (HTTP/2 with prior knowledge)
     */
    static boolean install(HttpConnection connection, String name, ChannelHandler beforeDecoder,
            ChannelHandler beforeHandler) {
        var pipeline = pipeline(connection).orElse(null);
        if (pipeline == null || pipeline.get(DECODER) == null || pipeline.get(HANDLER) == null) {
            return false;
        }
        pipeline.addBefore(DECODER, name + "-bytes", beforeDecoder);
        pipeline.addBefore(HANDLER, name + "-messages", beforeHandler);
        return true;
    }
}
