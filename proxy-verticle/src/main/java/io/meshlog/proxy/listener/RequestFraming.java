package io.meshlog.proxy.listener;

import io.meshlog.proxy.config.HttpLimits;

import io.netty.buffer.ByteBuf;

/**
 * Strict HTTP/1.1 request framing over the raw bytes of one connection, ahead of Netty's lenient
 * decoder (which folds obs-fold lines, accepts bare LF, skips garbage before a request line, reads
 * any {@code Transfer-Encoding} containing {@code chunked} as chunked and ignores chunk-extension
 * bytes up to LF). It follows every message boundary itself — Content-Length, chunked, or no body
 * — and refuses, with a {@link Rejection}, anything that two HTTP parsers could frame differently.
 * What it accepts is plain RFC 9112, which Netty frames exactly the same way, so the proxy and any
 * upstream agree on where each request ends. One instance per connection, on its event loop.
 */
final class RequestFraming {
    /** What the framing reports while it scans. */
    interface Events {
        /** The first byte of a request's head arrived. */
        void headStarted();

        /** A request's head was accepted. */
        void headAccepted();
    }

    private enum State { REQUEST_LINE, HEADER_LINE, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILER_LINE,
        PASSTHROUGH, REJECTED }

    private final HttpLimits limits;
    private final Events events;
    private final HeadFields head;
    private final LineBuffer line;
    private State state = State.REQUEST_LINE;
    private boolean pendingCr;
    private long remaining;
    private int headerBytes;
    private int trailerCount;
    private Rejection rejection;
    private boolean rejectedInBody;

    RequestFraming(HttpLimits limits, Events events) {
        this.limits = limits;
        this.events = events;
        this.head = new HeadFields(limits);
        this.line = new LineBuffer(Math.max(limits.maxUriBytes() + 64, limits.maxHeaderBytes()));
    }

    /** Why the connection was refused; null while it is fine. */
    Rejection rejection() {
        return rejection;
    }

    /** Whether the connection left HTTP/1.1 (spliced to h2c): nothing is checked any more. */
    boolean passthrough() {
        return state == State.PASSTHROUGH;
    }

    void passthrough(boolean on) {
        if (on) {
            state = State.PASSTHROUGH;
        }
    }

    /** Whether a request's head went through and its body is still being read. */
    boolean inBody() {
        return state == State.FIXED_BODY || state == State.CHUNK_SIZE || state == State.CHUNK_DATA
                || state == State.CHUNK_DATA_END || state == State.TRAILER_LINE;
    }

    /** Whether the refusal came while the refused request's body was read (its head went on). */
    boolean rejectedInBody() {
        return rejectedInBody;
    }

    /** Refuses from outside (the header-read timer). */
    void reject(Rejection why) {
        if (rejection == null) {
            rejection = why;
            rejectedInBody = inBody();
            state = State.REJECTED;
        }
    }

    /**
     * Scans the readable bytes of {@code buf} (without consuming them).
     *
     * @return -1 when every byte is acceptable, else the index of the first byte not to pass on
     *     (the start of the refused message, or of the buffer when it began in an earlier read)
     */
    int scan(ByteBuf buf) {
        int index = buf.readerIndex();
        int end = buf.writerIndex();
        int messageStart = index;
        while (index < end) {
            switch (state) {
                case PASSTHROUGH -> {
                    return -1;
                }
                case REJECTED -> {
                    return messageStart;
                }
                case FIXED_BODY -> {
                    int take = (int) Math.min(remaining, end - index);
                    index += take;
                    remaining -= take;
                    if (remaining == 0) {
                        messageDone();
                        messageStart = index;
                    }
                }
                case CHUNK_DATA -> {
                    int take = (int) Math.min(remaining, end - index);
                    index += take;
                    remaining -= take;
                    if (remaining == 0) {
                        state = State.CHUNK_DATA_END;
                    }
                }
                default -> {
                    boolean requestLineStart = state == State.REQUEST_LINE && line.length() == 0 && !pendingCr;
                    if (!lineByte(buf.getByte(index))) {
                        return messageStart;
                    }
                    index++;
                    if (requestLineStart && state == State.REQUEST_LINE && line.length() > 0) {
                        messageStart = index - 1;
                        events.headStarted();
                    }
                    if (state == State.REQUEST_LINE && line.length() == 0 && !pendingCr && !requestLineStart) {
                        messageStart = index; // a message ended on this byte
                    }
                }
            }
        }
        return state == State.REJECTED ? messageStart : -1;
    }

    /** One byte of a line-oriented state; false when the connection is refused. */
    private boolean lineByte(byte b) {
        if (pendingCr) {
            pendingCr = false;
            if (b != '\n') {
                return fail(state == State.CHUNK_SIZE || state == State.CHUNK_DATA_END ? Rejection.BAD_CHUNK
                        : Rejection.BARE_CR);
            }
            return lineEnded();
        }
        if (state == State.CHUNK_DATA_END) {
            return b == '\r' ? cr() : fail(Rejection.BAD_CHUNK);
        }
        if (b == '\r') {
            return cr();
        }
        if (b == '\n') {
            return fail(state == State.CHUNK_SIZE ? Rejection.BAD_CHUNK : Rejection.BARE_LF);
        }
        if (state == State.HEADER_LINE || state == State.TRAILER_LINE) {
            if (++headerBytes > limits.maxHeaderBytes()) {
                return fail(Rejection.HEADERS_TOO_LARGE);
            }
        } else if (state == State.REQUEST_LINE && line.length() > limits.maxUriBytes() + 32) {
            return fail(Rejection.URI_TOO_LONG);
        } else if (state == State.CHUNK_SIZE && line.length() >= 1024) {
            return fail(Rejection.BAD_CHUNK);
        }
        line.append(b);
        return true;
    }

    private boolean cr() {
        pendingCr = true;
        return true;
    }

    private boolean lineEnded() {
        var result = switch (state) {
            case REQUEST_LINE -> line.length() == 0 ? null : head.requestLine(line);
            case HEADER_LINE -> line.length() == 0 ? endOfHead() : head.field(line);
            case CHUNK_SIZE -> chunkSize();
            case CHUNK_DATA_END -> {
                state = State.CHUNK_SIZE;
                yield null;
            }
            case TRAILER_LINE -> trailer();
            default -> null;
        };
        if (state == State.REQUEST_LINE && line.length() > 0 && result == null) {
            state = State.HEADER_LINE; // the request line was accepted
            headerBytes = 0;
        }
        line.reset();
        return result == null || fail(result);
    }

    private Rejection endOfHead() {
        var refused = head.validate();
        if (refused != null) {
            return refused;
        }
        events.headAccepted();
        if (head.chunked()) {
            state = State.CHUNK_SIZE;
        } else if (head.contentLength() > 0) {
            state = State.FIXED_BODY;
            remaining = head.contentLength();
        } else {
            messageDone();
        }
        return null;
    }

    /** {@code chunk-size [ BWS ; chunk-ext ]}: hex digits only, bounded; extensions of visible bytes. */
    private Rejection chunkSize() {
        long size = 0;
        int i = 0;
        int n = line.length();
        while (i < n && hex(line.byteAt(i)) >= 0) {
            size = size * 16 + hex(line.byteAt(i));
            if (size > limits.maxChunkBytes()) {
                return Rejection.CHUNK_TOO_LARGE;
            }
            i++;
        }
        if (i == 0) {
            return Rejection.BAD_CHUNK;
        }
        while (i < n && (line.byteAt(i) == ' ' || line.byteAt(i) == '\t')) {
            i++;
        }
        if (i < n) {
            if (line.byteAt(i) != ';') {
                return Rejection.BAD_CHUNK;
            }
            for (int j = i; j < n; j++) {
                int c = line.byteAt(j) & 0xff;
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    return Rejection.BAD_CHUNK;
                }
            }
        }
        if (size == 0) {
            state = State.TRAILER_LINE;
            headerBytes = 0;
            trailerCount = 0;
        } else {
            state = State.CHUNK_DATA;
            remaining = size;
        }
        return null;
    }

    private Rejection trailer() {
        if (line.length() == 0) {
            messageDone();
            return null;
        }
        if (++trailerCount > limits.maxHeaders()) {
            return Rejection.TOO_MANY_HEADERS;
        }
        return HeadFields.checkField(line);
    }

    private void messageDone() {
        state = State.REQUEST_LINE;
        head.reset();
    }

    private boolean fail(Rejection why) {
        reject(why);
        return false;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
