package io.meshlog.proxy.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * A request's body as the tries send it: held whole (a retry can send it again), or streamed once
 * from the client to the upstream, in the client's chunks and at the pace the upstream reads them,
 * never held whole. Envoy's router does the same: it buffers a body only for retries, up to a
 * limit, and streams it (retries abandoned) past that.
 */
final class RequestBody {
    private final RequestContext ctx;
    private final Buffer head;
    private final HttpServerRequest rest;
    private boolean consumed;

    private RequestBody(RequestContext ctx, Buffer head, HttpServerRequest rest) {
        this.ctx = ctx;
        this.head = head;
        this.rest = rest;
    }

    /**
     * Reads the body of {@code ctx} into memory while it fits in {@code limit} bytes; past that (or
     * when a declared {@code content-length} is over it) the client is paused and the body becomes
     * a stream: what was read so far, then the rest. Fails with the client's error if it breaks.
     */
    static Future<RequestBody> buffered(RequestContext ctx, long limit) {
        var request = ctx.request;
        var declared = request.getHeader("content-length");
        if (declared != null && declaredLength(declared) > limit) {
            return Future.succeededFuture(streamed(ctx, Buffer.buffer()));
        }
        Promise<RequestBody> result = Promise.promise();
        var body = Buffer.buffer();
        request.handler(chunk -> {
            if (result.future().isComplete()) {
                return;
            }
            body.appendBuffer(chunk);
            if (body.length() > limit) {
                result.complete(streamed(ctx, body)); // pauses the client until a try sends the body on
            }
        });
        request.exceptionHandler(result::tryFail);
        request.endHandler(end -> result.tryComplete(whole(ctx, body)));
        request.resume(); // paused by a fault delay before this
        return result.future();
    }

    /** The body streamed from the client once tries start; the client is paused until then. */
    static RequestBody streamed(RequestContext ctx, Buffer head) {
        ctx.request.pause();
        ctx.requestBytes = head.length();
        return new RequestBody(ctx, head, ctx.request);
    }

    private static RequestBody whole(RequestContext ctx, Buffer body) {
        ctx.requestBytes = body.length();
        return new RequestBody(ctx, body, null);
    }

    /**
     * Whether the client's request has a body to stream at all: HTTP/1.x says so in its head (a
     * {@code content-length} above 0 or a {@code transfer-encoding}); HTTP/2 unless it has ended.
     */
    static boolean announced(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            return !request.isEnded();
        }
        var length = request.getHeader("content-length");
        return request.headers().contains("transfer-encoding") || (length != null && declaredLength(length) != 0);
    }

    /** Whether a retry can send this body again. */
    boolean replayable() {
        return rest == null;
    }

    /** Sends this body on {@code request} (whose head is set) and completes with the response. */
    Future<HttpClientResponse> sendOn(HttpClientRequest request) {
        if (rest == null) {
            return head.length() == 0 ? request.send() : request.send(head);
        }
        if (consumed) {
            return Future.failedFuture(new IllegalStateException("a streamed request body can be sent only once"));
        }
        consumed = true;
        if (!request.headers().contains("content-length")) {
            request.setChunked(true);
        }
        if (head.length() > 0) {
            request.write(head);
        }
        rest.handler(chunk -> {
            ctx.requestBytes += chunk.length();
            try {
                request.write(chunk);
            } catch (IllegalStateException e) {
                abandon(); // the try was reset (timeout, client gone) before its failure was reported
                return;
            }
            if (request.writeQueueFull()) {
                rest.pause();
                request.drainHandler(v -> rest.resume());
            }
        });
        rest.exceptionHandler(e -> request.reset(0, e));
        rest.endHandler(v -> request.end());
        var response = request.response();
        rest.resume();
        return response;
    }

    /** Drops the client's body if no try sent it (no endpoint, overflow, timeout): the client is not left paused. */
    void discardUnsent() {
        if (!consumed) {
            consumed = true;
            abandon();
        }
    }

    /** Stops reading the client's body into an upstream request that is abandoned. */
    void abandon() {
        if (rest != null) {
            rest.handler(null);
            rest.endHandler(null);
            rest.exceptionHandler(null);
            rest.resume(); // the rest of the body is read and dropped; the client's response decides the connection
        }
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1; // the listener's guard refuses a malformed length before this
        }
    }
}
