package io.meshlog.proxy.telemetry;

import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.ResponseFlag;
import java.time.Instant;
import java.util.List;

/** Request telemetry events as a proxy would record them. */
final class TelemetryEvents {
    private TelemetryEvents() {}

    static RequestTelemetry to(String destination, int n) {
        return RequestTelemetry.newBuilder()
                .setTraceId(String.format("%032x", n))
                .setSpanId(String.format("%016x", n))
                .setRequestId("req-" + n)
                .setProxyId("proxy-1")
                .setReporter(Reporter.SOURCE)
                .setSourceWorkload("frontend-v1")
                .setSourceNamespace("shop")
                .setDestinationService(destination)
                .setDestinationEndpoint("127.0.0.1:8080")
                .setRoute("default")
                .setMethod("GET")
                .setStatus(n % 10 == 0 ? 503 : 200)
                .setResponseFlags(n % 10 == 0 ? List.of(ResponseFlag.UF) : List.of())
                .setDurationMicros(1200 + n)
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + n))
                .build();
    }
}
