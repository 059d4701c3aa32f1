package io.meshlog.proxy.http;

import io.vertx.core.http.HttpConnection;
import java.util.concurrent.TimeUnit;

/**
 * How long the TLS handshake of a new upstream connection took. Vert.x hands the connection over
 * only once the handshake is done, so this is measured from the TLS session's creation (the
 * server's hello, a round trip after the client's) to now: millisecond precision, never more than
 * the whole time it took to establish the connection.
 */
final class TlsHandshakeTime {
    private TlsHandshakeTime() {}

    /** @param establishedNanos the time from asking the pool to holding the connection */
    static long of(HttpConnection connection, long establishedNanos) {
        var session = connection.sslSession();
        if (session == null) {
            return 0;
        }
        long millis = System.currentTimeMillis() - session.getCreationTime();
        return Math.max(0, Math.min(establishedNanos, TimeUnit.MILLISECONDS.toNanos(millis)));
    }
}
