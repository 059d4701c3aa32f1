package io.meshlog.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link VertxHttp1Pipeline} relies on in Vert.x 5: a server connection exposes its Netty
 * pipeline when the connection handler runs, before the first request byte reaches the decoder;
 * the decoder is named {@code httpDecoder} and Vert.x's handler {@code handler}; a handler put
 * before the decoder sees raw bytes, one before Vert.x's handler sees decoded requests and the
 * responses written (on an HTTP/1.1 server: with h2c on, Vert.x creates the connection only after the first request is decoded, see {@code H2cSplice}).
 */
class VertxHttp1PipelineContractTest {
    private final Vertx vertx = Vertx.vertx();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
                .connectionHandler(connection -> seen.add("installed=" + VertxHttp1Pipeline.install(connection, "probe",
                        new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof ByteBuf buf) {
                                    seen.add("bytes:" + buf.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse(""));
                                }
                                ctx.fireChannelRead(msg);
                            }
                        },
                        new ChannelDuplexHandler() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof HttpRequest request) {
                                    seen.add("request:" + request.uri());
                                }
                                ctx.fireChannelRead(msg);
                            }

                            @Override
                            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                                if (msg instanceof LastHttpContent) {
                                    seen.add("response-end");
                                }
                                ctx.write(msg, promise);
                            }
                        })))
                .requestHandler(request -> request.response().end("ok"))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theHandlersSeeTheFirstBytesTheDecodedRequestAndTheResponse() throws Exception {
        try (var socket = new Socket("127.0.0.1", server.actualPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET /first HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            readAll(socket.getInputStream());
        }

        assertThat(seen).containsExactly("installed=true", "bytes:GET /first HTTP/1.1", "request:/first", "response-end");
    }

    private static void readAll(InputStream in) throws Exception {
        in.readAllBytes();
    }
}
