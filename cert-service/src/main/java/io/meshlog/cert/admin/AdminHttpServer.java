package io.meshlog.cert.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meshlog.cert.ca.CaRotation;
import io.meshlog.cert.config.ConfigException;
import io.meshlog.cert.config.Durations;
import io.meshlog.cert.jointoken.JoinTokenIssuer;
import io.meshlog.cert.jointoken.TokenRevocationList;
import io.meshlog.cert.trust.TrustBundleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's admin endpoint (JDK HTTP server on its own single thread), every call guarded by
 * {@code Authorization: Bearer <operator token>} (compared in constant time). Parameters are
 * form-encoded, in the body or the query:
 *
 * <pre>
 * POST /tokens                 namespace, serviceAccount, ttl (e.g. 1h)   → 201, the token (text/plain)
 * POST /tokens/revoke          id                                          → 204
 * POST /certificates/revoke    serial (hex)                                → 204, bundle republished
 * POST /ca/rotation/prepare | /ca/rotation/activate | /ca/rotation/retire  → 204
 * </pre>
 *
 * Errors: 400 with a text message naming the bad parameter, 401 without a valid bearer token,
 * 409 for a rotation step out of order.
 */
public final class AdminHttpServer implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(AdminHttpServer.class);

    private final HttpServer server;
    private final byte[] bearer;
    private final JoinTokenIssuer issuer;
    private final TokenRevocationList revokedTokens;
    private final TrustBundleManager trust;
    private final CaRotation rotation;

    public AdminHttpServer(int port, String bearerToken, JoinTokenIssuer issuer,
            TokenRevocationList revokedTokens, TrustBundleManager trust, CaRotation rotation)
            throws IOException {
        this.bearer = ("Bearer " + bearerToken).getBytes(StandardCharsets.UTF_8);
        this.issuer = issuer;
        this.revokedTokens = revokedTokens;
        this.trust = trust;
        this.rotation = rotation;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            var t = new Thread(r, "cert-admin");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
        LOGGER.atInfo().addKeyValue("port", port()).log("cert-service admin endpoint listening");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var presented = exchange.getRequestHeaders().getFirst("Authorization");
            if (presented == null
                    || !MessageDigest.isEqual(bearer, presented.getBytes(StandardCharsets.UTF_8))) {
                reply(exchange, 401, "a valid operator bearer token is required");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, "use POST");
                return;
            }
            route(exchange, exchange.getRequestURI().getPath(), parameters(exchange));
        } catch (IllegalArgumentException e) {
            reply(exchange, 400, e.getMessage());
        } catch (IllegalStateException e) {
            reply(exchange, 409, e.getMessage());
        }
    }

    private void route(HttpExchange exchange, String path, Map<String, String> params) throws IOException {
        switch (path) {
            case "/tokens" -> {
                var token = issuer.issue(required(params, "namespace"), required(params, "serviceAccount"),
                        ttl(params));
                reply(exchange, 201, token.value());
            }
            case "/tokens/revoke" -> {
                revokedTokens.revoke(required(params, "id"));
                LOGGER.atInfo().addKeyValue("tokenId", params.get("id")).log("join token revoked");
                reply(exchange, 204, "");
            }
            case "/certificates/revoke" -> {
                var serial = required(params, "serial");
                if (!serial.matches("[0-9a-fA-F]{1,64}")) {
                    throw new IllegalArgumentException("serial: must be hexadecimal, but was '" + serial + "'");
                }
                trust.revokeSerial(serial);
                reply(exchange, 204, "");
            }
            case "/ca/rotation/prepare" -> { rotation.prepare(); reply(exchange, 204, ""); }
            case "/ca/rotation/activate" -> { rotation.activate(); reply(exchange, 204, ""); }
            case "/ca/rotation/retire" -> { rotation.retire(); reply(exchange, 204, ""); }
            default -> reply(exchange, 404, "no such endpoint: " + path);
        }
    }

    private static java.time.Duration ttl(Map<String, String> params) {
        try {
            return Durations.parse("ttl", required(params, "ttl"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static String required(Map<String, String> params, String name) {
        var value = params.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + ": required parameter is missing");
        }
        return value;
    }

    private static Map<String, String> parameters(HttpExchange exchange) throws IOException {
        var params = new HashMap<String, String>();
        parse(exchange.getRequestURI().getRawQuery(), params);
        var body = new String(exchange.getRequestBody().readNBytes(8192), StandardCharsets.UTF_8);
        parse(body, params);
        return params;
    }

    private static void parse(String form, Map<String, String> into) {
        if (form == null || form.isBlank()) {
            return;
        }
        for (var pair : form.split("&")) {
            var eq = pair.indexOf('=');
            if (eq > 0) {
                into.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8).trim());
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
