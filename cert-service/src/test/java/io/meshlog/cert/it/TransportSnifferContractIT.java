package io.meshlog.cert.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.proxy.identity.MeshTls;
import io.meshlog.proxy.identity.SpiffeId;
import io.meshlog.proxy.listener.VertxHttp1Pipeline;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the proxy's mTLS sniffer ({@code security.TransportSniffer}, placed through
 * {@link VertxHttp1Pipeline}) relies on in Vert.x 5, with real certificates: a handler put first on a
 * plaintext HTTP/1.1 server connection from the connection handler sees the client's first byte
 * before anything else; when it puts a Netty {@code SslHandler} in its own place, Vert.x reports the
 * connection as TLS and gives the peer's certificate chain ({@code HttpConnection.isSsl},
 * {@code peerCertificates}), and the connection's channel (where the verified peer is cached) is
 * reachable. If a Vert.x upgrade changes any of this, this test fails, not inbound mTLS in production.
 */
class TransportSnifferContractIT {
    private static final SpiffeId SERVER = new SpiffeId(MeshFixture.TRUST_DOMAIN, "demo", "inventory");
    private static final SpiffeId CLIENT = new SpiffeId(MeshFixture.TRUST_DOMAIN, "demo", "gateway");

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anSslHandlerPutFirstFromTheConnectionHandlerTerminatesTlsAndVertxReportsThePeer() throws Exception {
        var ca = TestMaterial.root("contract");
        var serverMaterial = TestMaterial.issue(ca, SERVER, ca);
        var clientMaterial = TestMaterial.issue(ca, CLIENT, ca);
        var serverContext = MeshTls.serverContext(serverMaterial);

        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false).setSsl(false))
                .connectionHandler(connection -> VertxHttp1Pipeline.pipeline(connection).orElseThrow()
                        .addFirst("contract-sniffer", new ByteToMessageDecoder() {
                            @Override
                            protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
                                if (in.isReadable() && in.getByte(in.readerIndex()) == 0x16) {
                                    ctx.pipeline().replace(this, "contract-tls", serverContext.newHandler(ctx.alloc()));
                                }
                            }
                        }))
                .requestHandler(request -> {
                    var connection = request.connection();
                    String peer;
                    try {
                        var leaf = (X509Certificate) connection.peerCertificates().get(0);
                        peer = String.valueOf(leaf.getSubjectAlternativeNames().iterator().next().get(1));
                    } catch (Exception e) {
                        peer = "none: " + e;
                    }
                    request.response().end("ssl=" + connection.isSsl() + " peer=" + peer
                            + " channel=" + VertxHttp1Pipeline.channel(connection).isPresent());
                });
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();

        var client = vertx.createHttpClient(MeshTls.applyTo(new HttpClientOptions(), MeshTls.clientOptions(clientMaterial)));
        var body = client.request(HttpMethod.GET, port, "127.0.0.1", "/")
                .compose(request -> request.send().compose(response -> response.body()))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();

        assertThat(body).isEqualTo("ssl=true peer=" + CLIENT.uri() + " channel=true");
    }
}
