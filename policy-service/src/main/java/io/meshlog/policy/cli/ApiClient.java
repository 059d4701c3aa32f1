package io.meshlog.policy.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;

/** The policy API as meshctl calls it: JSON in and out, errors turned into {@link CliException}. */
final class ApiClient {
    static final String BASE = "/apis/meshlog.io/v1";

    private final URI server;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(String server, String token) {
        this.server = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
        this.token = token;
    }

    /** A successful answer; a 4xx/5xx becomes a {@link CliException} carrying the server's violations. */
    record Answer(int status, JsonObject body) {}

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer put(String path, String body, String contentType) {
        return send(request(path).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    Answer post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    Answer delete(String path) {
        return send(request(path).DELETE());
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        var builder = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json");
        if (token != null && !token.isBlank()) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Answer send(HttpRequest.Builder builder) {
        var request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException("error: cannot reach policy-service at " + server + ": "
                    + (e instanceof java.net.ConnectException ? "connection refused"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        JsonObject body;
        try {
            body = response.body().isBlank() ? new JsonObject() : new JsonObject(response.body());
        } catch (DecodeException e) {
            throw new CliException("policy-service answered " + response.statusCode() + " with a body that is not JSON");
        }
        if (response.statusCode() >= 400) {
            throw failure(response.statusCode(), body);
        }
        return new Answer(response.statusCode(), body);
    }

    static CliException failure(int status, JsonObject body) {
        var details = new ArrayList<String>();
        var violations = body.getJsonArray("validation_errors");
        if (violations != null) {
            for (int i = 0; i < violations.size(); i++) {
                var v = violations.getJsonObject(i);
                details.add(Violations.line(v.getString("path", ""), v.getInteger("line", 0), v.getString("message", ""),
                        v.getString("severity", "ERROR"), 0));
            }
        }
        var error = new CliException("error: " + body.getString("message", "policy-service answered " + status)
                + " (HTTP " + status + ")", details, 1);
        return error;
    }
}
