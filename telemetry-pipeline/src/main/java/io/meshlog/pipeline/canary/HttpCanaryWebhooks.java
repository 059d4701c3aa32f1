package io.meshlog.pipeline.canary;

import io.meshlog.policy.model.CanarySteps;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.CanaryWebhook;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Webhooks over HTTP: a POST of the canary's state as JSON (Flagger's payload fields name,
 * namespace, phase, type and metadata, plus meshlog's step, weight and failed checks); a 2xx
 * answer accepts. Connect and answer together are bounded by the hook's timeout, capped at {@link
 * CanarySteps#MAX_WEBHOOK_TIMEOUT_MILLIS}; the body of the answer is discarded unread.
 */
final class HttpCanaryWebhooks implements CanaryWebhooks {
    private final HttpClient client;

    HttpCanaryWebhooks() {
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(CanarySteps.MAX_WEBHOOK_TIMEOUT_MILLIS))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Result call(CanaryWebhook hook, CanaryStatus state) {
        var timeout = Duration.ofMillis(Math.min(Math.max(hook.getTimeout(), 1), CanarySteps.MAX_WEBHOOK_TIMEOUT_MILLIS));
        try {
            var request = HttpRequest.newBuilder(URI.create(hook.getUrl())).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(payload(hook, state))).build();
            var future = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            // The client's timeout covers the answer's headers; the overall bound also covers connecting.
            var response = future.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            var code = response.statusCode();
            return new Result(code >= 200 && code < 300, "HTTP " + code);
        } catch (java.util.concurrent.TimeoutException e) {
            return new Result(false, "timed out after " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            var cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return new Result(false, "timed out after " + timeout.toMillis() + " ms");
            }
            return new Result(false, "no answer (" + (cause instanceof IOException ? cause.getClass().getSimpleName()
                    : String.valueOf(cause)) + ")");
        } catch (IllegalArgumentException e) {
            return new Result(false, "unusable URL");
        }
    }

    /** The JSON body: Flagger's field names where they exist. */
    static String payload(CanaryWebhook hook, CanaryStatus state) {
        var fields = new java.util.LinkedHashMap<String, Object>();
        fields.put("name", state.getName());
        fields.put("namespace", state.getNamespace());
        fields.put("phase", state.getPhase().name());
        fields.put("type", hook.getType());
        fields.put("service", state.getService());
        fields.put("stable", state.getStableSubset());
        fields.put("canary", state.getCanarySubset());
        fields.put("canaryGeneration", state.getCanaryGeneration());
        fields.put("step", state.getStep());
        fields.put("steps", state.getSteps());
        fields.put("canaryWeight", state.getCanaryWeight());
        fields.put("failedChecks", state.getFailedChecks());
        fields.put("metadata", new TreeMap<>(hook.getMetadata()));
        return json(fields);
    }

    private static String json(Map<String, ?> fields) {
        var out = new StringBuilder("{");
        fields.forEach((key, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quote(key)).append(':');
            if (value instanceof Map<?, ?> map) {
                var strings = new java.util.LinkedHashMap<String, Object>();
                map.forEach((k, v) -> strings.put(String.valueOf(k), String.valueOf(v)));
                out.append(json(strings));
            } else if (value instanceof Number) {
                out.append(value);
            } else {
                out.append(quote(String.valueOf(value)));
            }
        });
        return out.append('}').toString();
    }

    private static String quote(String text) {
        var out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
