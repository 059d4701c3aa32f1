package io.meshlog.proxy.listener;

import io.meshlog.proxy.config.HttpLimits;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The strict HTTP/1.1 front of one connection, as two Netty handlers: {@link #bytes()} in front of
 * the HTTP decoder runs {@link RequestFraming} over the raw bytes and passes on only what it
 * accepted; {@link #messages()} behind the decoder counts requests in and responses out. A refused
 * request is answered (after the responses owed to requests pipelined before it) with its status,
 * {@code x-response-flags: DPE} and {@code connection: close}, and the connection is closed: no
 * byte after it is read. The header-read timer runs from a head's first byte to its end.
 */
final class Http1Guard implements RequestFraming.Events {
    private final RequestFraming framing;
    private final long headerTimeoutMillis;
    private final Consumer<Rejection> rejected;
    private final H2cSplice h2c;
    private boolean started;
    private final Bytes bytes = new Bytes();
    private final Messages messages = new Messages();
    private ChannelHandlerContext bytesContext;
    private ScheduledFuture<?> headerTimer;
    private int outstanding;
    private boolean answered;

    /**
     * @param rejected told once per refused connection (metrics)
     * @param h2c where a connection opening with the HTTP/2 preface goes, or null to refuse it
     */
    Http1Guard(HttpLimits limits, Consumer<Rejection> rejected, H2cSplice h2c) {
        this.h2c = h2c;
        this.framing = new RequestFraming(limits, this);
        this.headerTimeoutMillis = limits.headerReadTimeout().toMillis();
        this.rejected = rejected;
    }

    /** The handler to put right before the HTTP decoder. */
    ChannelHandler bytes() {
        return bytes;
    }

    /** The handler to put right after the HTTP codec, before the server's own handler. */
    ChannelHandler messages() {
        return messages;
    }

    @Override
    public void headStarted() {
        if (headerTimeoutMillis > 0 && bytesContext != null) {
            headerTimer = bytesContext.executor().schedule(() -> refuse(Rejection.HEADER_TIMEOUT),
                    headerTimeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void headAccepted() {
        cancelTimer();
    }

    private void refuse(Rejection why) {
        if (framing.rejection() == null) {
            framing.reject(why);
        }
        cancelTimer();
        bytesContext.channel().config().setAutoRead(false);
        rejected.accept(framing.rejection());
        answerWhenOwedNothing();
    }

    /** Answers the refusal once every request accepted before it has its response. */
    private void answerWhenOwedNothing() {
        var why = framing.rejection();
        int owedBefore = framing.rejectedInBody() ? outstanding - 1 : outstanding;
        if (why == null || answered || owedBefore > 0) {
            return;
        }
        answered = true;
        var body = why.message() + "\n";
        var reply = "HTTP/1.1 " + why.status() + " " + reason(why.status()) + "\r\n"
                + "content-type: text/plain\r\n"
                + "content-length: " + body.length() + "\r\n"
                + "x-response-flags: DPE\r\n"
                + "connection: close\r\n\r\n" + body;
        bytesContext.writeAndFlush(Unpooled.copiedBuffer(reply, StandardCharsets.US_ASCII))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void cancelTimer() {
        if (headerTimer != null) {
            headerTimer.cancel(false);
            headerTimer = null;
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 408 -> "Request Timeout";
            case 413 -> "Payload Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
    }

    private final class Bytes extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            bytesContext = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf) || framing.passthrough()) { // spliced: the pipe behind takes them
                ctx.fireChannelRead(msg);
                return;
            }
            if (framing.rejection() != null) {
                buf.release(); // refused: nothing after it is interpreted
                return;
            }
            if (!started) {
                started = true;
                if (h2c != null && H2cSplice.preface(buf)) {
                    framing.passthrough(true);
                    h2c.take(ctx, buf);
                    return;
                }
            }
            int stop = framing.scan(buf);
            if (stop < 0) {
                ctx.fireChannelRead(buf);
                return;
            }
            if (stop > buf.readerIndex()) {
                ctx.fireChannelRead(buf.retainedSlice(buf.readerIndex(), stop - buf.readerIndex()));
            }
            buf.release();
            refuse(framing.rejection());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancelTimer();
            ctx.fireChannelInactive();
        }
    }

    private final class Messages extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                outstanding++;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            boolean last = msg instanceof LastHttpContent;
            ctx.write(msg, promise);
            if (last) {
                outstanding--;
                if (framing.rejection() != null) {
                    ctx.flush();
                    answerWhenOwedNothing();
                }
            }
        }
    }
}
