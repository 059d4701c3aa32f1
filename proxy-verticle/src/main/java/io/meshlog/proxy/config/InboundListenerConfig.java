package io.meshlog.proxy.config;

import java.time.Duration;

/**
 * The inbound listener: other proxies call this workload through it and it forwards to the app.
 *
 * @param listen where the listener binds
 * @param appHost the local app's address
 * @param appPort the local app's port
 * @param timeout how long the app may take to answer; {@link Duration#ZERO} means no limit
 */
public record InboundListenerConfig(ListenerConfig listen, String appHost, int appPort, Duration timeout) {
    /** The app is on the same host as its sidecar. */
    public static final String DEFAULT_APP_HOST = "127.0.0.1";

    public InboundListenerConfig {
        ConfigException.require(listen != null, "listeners.inbound", "must have host and port");
        appHost = appHost == null || appHost.isBlank() ? DEFAULT_APP_HOST : appHost;
        ConfigException.require(appPort >= 1 && appPort <= 65535, "listeners.inbound.appPort",
                "must be between 1 and 65535, but was " + appPort);
        timeout = timeout == null ? Duration.ZERO : timeout;
        ConfigException.require(!timeout.isNegative(), "listeners.inbound.timeout",
                "must not be negative, but was " + timeout);
    }
}
