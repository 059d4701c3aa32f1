package io.meshlog.proxy.listener;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.function.IntSupplier;

/**
 * HTTP/2 with prior knowledge (h2c) on a guarded HTTP/1.1 listener. Vert.x creates the connection
 * of an h2c-enabled server only after Netty has decoded the first request, too late for the
 * guard to see its bytes, so the public listener is HTTP/1.1 only and a connection that opens with
 * the HTTP/2 preface is spliced, bytes unchanged, to a loopback-only h2c server of the same
 * handler. HTTP/2 frames its messages in binary, so none of the HTTP/1.1 smuggling classes apply.
 */
public final class H2cSplice {
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final NetClient client;
    private final IntSupplier port;

    /** @param port the loopback h2c server's port, read when a connection is spliced */
    public H2cSplice(NetClient client, IntSupplier port) {
        this.client = client;
        this.port = port;
    }

    /** Whether {@code buf} starts with the whole HTTP/2 connection preface. */
    static boolean preface(ByteBuf buf) {
        if (buf.readableBytes() < PREFACE.length) {
            return false;
        }
        for (int i = 0; i < PREFACE.length; i++) {
            if (buf.getByte(buf.readerIndex() + i) != PREFACE[i]) {
                return false;
            }
        }
        return true;
    }

    /** Takes over the connection of {@code ctx}, {@code first} being its first bytes. */
    void take(ChannelHandlerContext ctx, ByteBuf first) {
        var channel = ctx.channel();
        channel.config().setAutoRead(false);
        var pending = ByteBufUtil.getBytes(first);
        first.release();
        client.connect(port.getAsInt(), "127.0.0.1").onComplete(connected -> {
            if (connected.failed()) {
                channel.close();
                return;
            }
            var socket = connected.result();
            // written from this handler on, so the bytes skip the HTTP/1.1 encoder behind it
            socket.handler(bytes -> ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes.getBytes())));
            socket.closeHandler(v -> channel.close());
            socket.write(Buffer.buffer(pending));
            channel.eventLoop().execute(() -> {
                ctx.pipeline().addAfter(ctx.name(), ctx.name() + "-h2c", new Pipe(socket));
                channel.config().setAutoRead(true);
            });
        });
    }

    /** Client bytes to the loopback h2c server; nothing reaches the HTTP/1.1 decoder any more. */
    private static final class Pipe extends ChannelInboundHandlerAdapter {
        private final NetSocket socket;

        Pipe(NetSocket socket) {
            this.socket = socket;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                socket.write(Buffer.buffer(ByteBufUtil.getBytes(buf)));
                buf.release();
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            socket.close();
            ctx.fireChannelInactive();
        }
    }
}
