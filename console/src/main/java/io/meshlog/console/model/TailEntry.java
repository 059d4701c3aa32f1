package io.meshlog.console.model;

import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.ResponseFlag;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** One request attempt as the live tail lists it (no headers, no payload: only what telemetry carries). */
record TailEntry(long time, String traceId, String sourceWorkload, String destinationWorkload, String endpoint,
        String subset, String route, String path, String method, int status, List<ResponseFlag> flags, double durationMillis,
        int attempt, boolean retry, boolean mtls) {

    static TailEntry of(RequestTelemetry t) {
        return new TailEntry(t.getEventTime().toEpochMilli(), t.getTraceId(), t.getSourceWorkload(),
                t.getDestinationWorkload(), t.getDestinationEndpoint(), t.getDestinationSubset(), t.getRoute(),
                t.getPath(), t.getMethod(), t.getStatus(), List.copyOf(t.getResponseFlags()), t.getDurationMicros() / 1000.0,
                t.getAttempt(), t.getRetry(), t.getMtls());
    }

    JsonObject toJson() {
        return new JsonObject().put("time", java.time.Instant.ofEpochMilli(time).toString()).put("traceId", traceId)
                .put("source", sourceWorkload).put("destinationWorkload", destinationWorkload)
                .put("endpoint", endpoint).put("subset", subset).put("route", route).put("path", path).put("method", method)
                .put("status", status).put("flags", new JsonArray(flags.stream().map(Enum::name).toList()))
                .put("durationMillis", Math.round(durationMillis * 100) / 100.0).put("attempt", attempt)
                .put("retry", retry).put("mtls", mtls);
    }
}
