package io.meshlog.proxy.http;

import io.meshlog.proxy.resilience.AttemptFailure;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/**
 * The one place where failures become statuses and Envoy response flags: connect failure 503 UF,
 * timeout 504 UT, overflow 503 UO, upstream reset 503 UC, rate limited 429 RL, fault abort FI,
 * no healthy upstream 503 UH, no route 404 NR, denied 403 UAEX; retries exhausted adds URX.
 */
public final class FailureMapper {
    private static final long REFUSED_STREAM = 7; // HTTP/2 error code

    private FailureMapper() {}

    /** What kind of failure {@code cause} of an upstream try is. */
    public static AttemptFailure classify(Throwable cause) {
        if (cause instanceof ConnectionPoolTooBusyException) {
            return AttemptFailure.OVERFLOW;
        }
        if (cause instanceof javax.net.ssl.SSLException) {
            return AttemptFailure.CONNECT_FAILURE; // a failed TLS handshake is a connect failure (UF), as in Envoy
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                || cause instanceof UnknownHostException || cause instanceof io.netty.channel.ConnectTimeoutException) {
            return AttemptFailure.CONNECT_FAILURE;
        }
        if (cause instanceof TimeoutException || cause instanceof io.vertx.core.impl.NoStackTraceTimeoutException) {
            return AttemptFailure.TIMEOUT;
        }
        if (cause instanceof StreamResetException reset && reset.getCode() == REFUSED_STREAM) {
            return AttemptFailure.REFUSED_STREAM;
        }
        if (cause instanceof HttpClosedException || cause instanceof StreamResetException) {
            return AttemptFailure.RESET;
        }
        var message = cause.getMessage();
        if (message != null && message.contains("Connection refused")) {
            return AttemptFailure.CONNECT_FAILURE;
        }
        return AttemptFailure.RESET;
    }

    /** The local reply for a try that got no response. */
    public static Failure failureOf(AttemptFailure failure) {
        return switch (failure) {
            case CONNECT_FAILURE -> Failure.CONNECT_FAILURE;
            case TIMEOUT -> Failure.TIMEOUT;
            case OVERFLOW -> Failure.OVERFLOW;
            case NO_HEALTHY_UPSTREAM -> Failure.NO_HEALTHY_UPSTREAM;
            case RESET, REFUSED_STREAM, NONE -> Failure.UPSTREAM_RESET;
        };
    }
}
