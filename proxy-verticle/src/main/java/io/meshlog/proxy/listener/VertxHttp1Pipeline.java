package io.meshlog.proxy.listener;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import java.util.Optional;

/**
 * The one place the proxy reaches into Vert.x internals: the Netty pipeline of an HTTP server
 * connection ({@code io.vertx.core.http.impl.HttpServerConnection#channelHandlerContext}) and the
 * names Vert.x 5 gives its HTTP/1.x handlers ({@code httpDecoder}, {@code handler}).
 * {@code VertxHttp1PipelineContractTest} pins both, so a Vert.x upgrade that changes them fails
 * there and not in production.
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
