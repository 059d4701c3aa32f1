package io.meshlog.console.config;

import io.meshlog.schemas.auth.BearerToken;
import io.meshlog.schemas.topics.TopicCatalogue;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/**
 * How the console runs.
 *
 * @param host the address to bind; {@link #DEFAULT_HOST} unless the console is meant to be reached
 *     from elsewhere, which then needs at least one token
 * @param port the HTTP port (0: any free one)
 * @param bootstrapServers the Kafka cluster of the mesh
 * @param topics the mesh's topic names
 * @param tokens bearer tokens allowed to read the API (the policy API's scheme; the console is
 *     read-only, so a writer flag grants nothing more); empty: no authentication (loopback only)
 * @param kafka extra consumer settings passed through (e.g. security)
 */
public record ConsoleConfig(String host, int port, String bootstrapServers, TopicCatalogue topics,
        List<BearerToken> tokens, Map<String, Object> kafka) {
    /** Only this machine can reach the console by default. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The console's port when none is given. */
    public static final int DEFAULT_PORT = 8090;

    public ConsoleConfig {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host;
        ConfigException.require(port >= 0 && port <= 65_535, "console.port",
                "must be between 0 and 65535, but was " + port);
        ConfigException.require(bootstrapServers != null && !bootstrapServers.isBlank(), "console.bootstrap.servers",
                "must name at least one broker, but was " + bootstrapServers);
        topics = topics == null ? TopicCatalogue.standard() : topics;
        tokens = List.copyOf(tokens == null ? List.of() : tokens);
        kafka = Map.copyOf(kafka == null ? Map.of() : kafka);
        // Fail closed: the console shows the whole mesh; exposing it without a token would leak it.
        ConfigException.require(isLoopback(host) || !tokens.isEmpty(), "console.host",
                "binding " + host + " exposes the console beyond this machine: set at least one token "
                        + "(MESHLOG_CONSOLE_TOKEN) or bind 127.0.0.1");
    }

    /** On loopback, without tokens, with the standard topics. */
    public static ConsoleConfig local(int port, String bootstrapServers) {
        return new ConsoleConfig(DEFAULT_HOST, port, bootstrapServers, TopicCatalogue.standard(), List.of(), Map.of());
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
