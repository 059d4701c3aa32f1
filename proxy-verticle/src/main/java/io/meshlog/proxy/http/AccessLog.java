package io.meshlog.proxy.http;

import io.meshlog.schemas.v1.Reporter;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's access log: one line per request on the {@code meshlog.access} logger, in the order of
 * Envoy's default text format, while a Telemetry policy turns it on ({@code accessLogging}). The path
 * is written without its query string and no header but user-agent, request id and authority is
 * written, so tokens in URLs or headers never reach the log.
 */
public final class AccessLog {
    /** The logger name, for routing the access log to its own appender. */
    public static final String LOGGER_NAME = "meshlog.access";
    private static final Logger LOGGER = LoggerFactory.getLogger(LOGGER_NAME);

    private AccessLog() {}

    /** Writes {@code ctx}'s line (called once per request, when it is recorded). */
    public static void write(RequestContext ctx, long nowNanos) {
        if (LOGGER.isInfoEnabled()) {
            LOGGER.info(line(ctx, nowNanos));
        }
    }

    /**
     * {@code [start] "METHOD /path PROTOCOL" status flags bytes-received bytes-sent duration-ms
     * "user-agent" "request-id" "authority" "upstream-host" cluster route}.
     */
    static String line(RequestContext ctx, long nowNanos) {
        var request = ctx.request();
        boolean outbound = ctx.reporter() == Reporter.SOURCE;
        var endpoint = ctx.destinationEndpoint();
        return "[" + Instant.ofEpochMilli(ctx.startMillis()) + "] \""
                + (ctx.method() != null ? ctx.method() : request.method().name()) + " " + path(ctx) + " "
                + protocol(request.version()) + "\" " + ctx.status() + " " + ResponseFlags.label(ctx.flags()) + " "
                + ctx.requestBytes() + " " + ctx.responseBytes() + " " + (nowNanos - ctx.startNanos()) / 1_000_000 + " \""
                + orDash(request.getHeader("user-agent")) + "\" \"" + orDash(ctx.requestId()) + "\" \""
                + orDash(request.authority() != null ? request.authority().toString() : null) + "\" \""
                + (outbound ? (endpoint != null ? endpoint.address() : "-") : "inbound") + "\" "
                + (outbound ? "outbound|" + orDash(ctx.destinationService()) + "|" + orDash(ctx.subset()) : "inbound|"
                        + orDash(ctx.destinationService())) + " " + orDash(ctx.route());
    }

    private static String path(RequestContext ctx) {
        var uri = ctx.uri() != null ? ctx.uri() : ctx.request().uri();
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static String protocol(io.vertx.core.http.HttpVersion version) {
        return switch (version) {
            case HTTP_1_0 -> "HTTP/1.0";
            case HTTP_1_1 -> "HTTP/1.1";
            default -> "HTTP/2";
        };
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value.replace('"', '\'');
    }
}
