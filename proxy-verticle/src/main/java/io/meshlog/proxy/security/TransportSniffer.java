package io.meshlog.proxy.security;

import io.meshlog.schemas.v1.MtlsMode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every inbound connection: looks at the first byte the client sends (0x16
 * is a TLS handshake record) and applies the workload's PeerAuthentication mode, read for this
 * connection. TLS (allowed by STRICT and PERMISSIVE, with a certificate present): replaced by an
 * {@link SslHandler} requiring a client certificate, so the HTTP codec behind it sees the
 * decrypted bytes and Vert.x reports the connection as SSL with the peer's certificates.
 * Plaintext (allowed by PERMISSIVE and DISABLE): removed, the bytes go on untouched. Anything else
 * is closed and counted. One instance per connection; runs on its event loop.
 */
final class TransportSniffer extends ByteToMessageDecoder {
    static final String NAME = "meshlog-transport-sniffer";
    private static final Logger LOGGER = LoggerFactory.getLogger(TransportSniffer.class);
    private static final byte TLS_HANDSHAKE = 0x16;

    private final Supplier<MtlsMode> mode;
    private final Supplier<SslContext> context;
    private final SecurityMetrics metrics;

    /**
     * @param mode the PeerAuthentication mode of the listener's port now
     * @param context the server TLS context now, null before the first certificate
     */
    TransportSniffer(Supplier<MtlsMode> mode, Supplier<SslContext> context, SecurityMetrics metrics) {
        this.mode = mode;
        this.context = context;
        this.metrics = metrics;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        var current = mode.get();
        if (in.getByte(in.readerIndex()) == TLS_HANDSHAKE) {
            var ssl = current == MtlsMode.DISABLE ? null : context.get();
            if (ssl == null) {
                refuse(ctx, in, "mtls", current, current == MtlsMode.DISABLE
                        ? "PeerAuthentication DISABLE accepts plaintext only" : "no workload certificate yet");
                return;
            }
            var handler = ssl.newHandler(ctx.alloc());
            handler.handshakeFuture().addListener(done -> {
                if (done.isSuccess()) {
                    metrics.inboundConnection("mtls", current.name(), "accepted");
                } else {
                    metrics.inboundConnection("mtls", current.name(), "handshake_failed");
                    LOGGER.atDebug().addKeyValue("remote", String.valueOf(ctx.channel().remoteAddress()))
                            .addKeyValue("error", String.valueOf(done.cause()))
                            .log("inbound mTLS handshake failed");
                }
            });
            ctx.pipeline().replace(this, "meshlog-tls", handler);
        } else if (current == MtlsMode.STRICT) {
            refuse(ctx, in, "plaintext", current, "PeerAuthentication STRICT refuses plaintext");
        } else {
            metrics.inboundConnection("plaintext", current.name(), "accepted");
            ctx.pipeline().remove(this);
        }
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, String transport, MtlsMode current, String why) {
        in.skipBytes(in.readableBytes());
        metrics.inboundConnection(transport, current.name(), "refused");
        LOGGER.atDebug().addKeyValue("remote", String.valueOf(ctx.channel().remoteAddress()))
                .addKeyValue("reason", why).log("inbound connection refused");
        ctx.close();
    }
}
