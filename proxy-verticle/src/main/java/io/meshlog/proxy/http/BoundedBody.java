package io.meshlog.proxy.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body into memory, refusing it past a limit. The proxy holds whole bodies so that
 * a retry can send them again; without a limit one large upload would exhaust a small heap. A
 * declared {@code content-length} over the limit is refused before anything is read.
 */
final class BoundedBody {
    private BoundedBody() {}

    /** Fails with {@link TooLarge} past {@code limit} bytes, with the request's error if it breaks. */
    static Future<Buffer> read(HttpServerRequest request, long limit) {
        var declared = request.getHeader("content-length");
        if (declared != null && declaredLength(declared) > limit) {
            return Future.failedFuture(new TooLarge(limit));
        }
        Promise<Buffer> result = Promise.promise();
        var body = Buffer.buffer();
        request.handler(chunk -> {
            if (result.future().isComplete()) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                result.fail(new TooLarge(limit));
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(result::tryFail);
        request.endHandler(end -> result.tryComplete(body));
        return result.future();
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1; // the codec rejects a malformed length itself
        }
    }

    /** The body is larger than the proxy buffers. */
    static final class TooLarge extends RuntimeException {
        TooLarge(long limit) {
            super("request body larger than " + limit + " bytes", null, false, false);
        }
    }
}
