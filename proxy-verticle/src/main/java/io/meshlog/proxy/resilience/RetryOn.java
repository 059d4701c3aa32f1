package io.meshlog.proxy.resilience;

import java.util.Locale;

/** Istio's (Envoy's) retryOn conditions. */
public enum RetryOn {
    /** Any 5xx, a reset, a connect failure, a refused stream or a per-try timeout. */
    FIVE_XX("5xx"),
    /** 502, 503, 504, and a per-try timeout or a connect failure (which Envoy answers with 503/504). */
    GATEWAY_ERROR("gateway-error"),
    CONNECT_FAILURE("connect-failure"),
    REFUSED_STREAM("refused-stream"),
    /** The upstream reset or closed the connection before answering. */
    RESET("reset"),
    /** 409 Conflict, as in Envoy. */
    RETRIABLE_4XX("retriable-4xx"),
    /** The status codes listed beside the conditions. */
    RETRIABLE_STATUS_CODES("retriable-status-codes");

    private final String istioName;

    RetryOn(String istioName) {
        this.istioName = istioName;
    }

    /** The name used in policies, e.g. {@code gateway-error}. */
    public String istioName() {
        return istioName;
    }

    /** The condition called {@code name}, or null when it is not one (it may be a status code). */
    public static RetryOn byName(String name) {
        var wanted = name.trim().toLowerCase(Locale.ROOT);
        for (var value : values()) {
            if (value.istioName.equals(wanted)) {
                return value;
            }
        }
        return null;
    }
}
