package io.meshlog.proxy.observability;

/** The request metrics a Telemetry override can select (Istio's names; the TCP and gRPC ones meshlog does not have). */
public enum RequestMetric {
    /** {@code istio_requests_total} */
    REQUEST_COUNT,
    /** {@code istio_request_duration_milliseconds} */
    REQUEST_DURATION,
    /** {@code istio_request_bytes} */
    REQUEST_SIZE,
    /** {@code istio_response_bytes} */
    RESPONSE_SIZE
}
