package io.meshlog.proxy.config;

/**
 * Where one listener binds.
 *
 * @param host the address to bind, e.g. {@code 127.0.0.1}
 * @param port the TCP port; 0 picks a free one (tests)
 */
public record ListenerConfig(String host, int port) {
    public ListenerConfig {
        ConfigException.require(host != null && !host.isBlank(), "host", "must be set");
        ConfigException.require(port >= 0 && port <= 65535, "port",
                "must be between 0 and 65535, but was " + port);
    }
}
