package io.meshlog.proxy.config;

/** Where per-request telemetry goes when the proxy runs from a static bootstrap file. */
public enum TelemetryMode {
    /** Dropped (benchmarks, users who only want metrics). */
    NONE,
    /** One log line per event at INFO on logger {@code meshlog.telemetry}. */
    LOG,
    /** To the telemetry topic of a Kafka broker, as in control-plane mode. */
    KAFKA
}
