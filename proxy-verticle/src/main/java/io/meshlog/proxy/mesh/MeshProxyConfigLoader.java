package io.meshlog.proxy.mesh;

import io.meshlog.policy.model.Durations;
import io.meshlog.proxy.config.ConfigException;
import io.meshlog.proxy.config.InboundListenerConfig;
import io.meshlog.proxy.config.ListenerConfig;
import io.meshlog.proxy.config.ProxyConfig;
import io.meshlog.proxy.config.TelemetryMode;
import io.meshlog.proxy.discovery.DiscoveryConfig;
import io.meshlog.proxy.discovery.HazelcastSettings;
import io.meshlog.proxy.telemetry.KafkaTelemetryConfig;
import io.meshlog.proxy.telemetry.TelemetrySampling;
import io.meshlog.proxy.tracing.TracingConfig;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.Reporter;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads a {@link MeshProxyConfig}: a properties file (keys such as {@code app.port}), then the
 * environment, which wins ({@code MESHLOG_PROXY_APP_PORT} → {@code app.port}). A bad value
 * throws a {@link ConfigException} naming the key and where it came from. The keys and defaults
 * are listed in {@code proxy-verticle/README.md}.
 */
public final class MeshProxyConfigLoader {
    /** The environment prefix. */
    public static final String ENV_PREFIX = "MESHLOG_PROXY_";
    public static final int DEFAULT_OUTBOUND_PORT = 15001;
    public static final int DEFAULT_INBOUND_PORT = 15006;
    public static final int DEFAULT_ADMIN_PORT = 15000;
    /** The event-loop count of {@code ProxyMain} in either mode; {@code concurrency} wins over it. */
    public static final String EVENT_LOOPS_ENV = "MESHLOG_EVENT_LOOPS";
    private static final String CONCURRENCY = "concurrency";
    private static final String LOOPBACK = "127.0.0.1";
    private static final String JOIN_TOKEN = "join.token";
    private static final String JOIN_TOKEN_FILE = "join.token.file";
    private static final String TRUST_DOMAIN = "trust.domain";
    private static final String SERVICE_ACCOUNT = "service.account";
    private static final String ROOT_NAMESPACE = "root.namespace";
    private static final String SAMPLING_PERCENT = "telemetry.sampling.successes.percent";

    private final Map<String, String> values;
    private final Map<String, String> origins;

    private MeshProxyConfigLoader(Map<String, String> values, Map<String, String> origins) {
        this.values = values;
        this.origins = origins;
    }

    /**
     * @param file a properties file, or null for the environment only
     * @param env the environment ({@code System.getenv()} in a process)
     */
    public static MeshProxyConfig load(Path file, Map<String, String> env) {
        var values = new TreeMap<String, String>();
        var origins = new HashMap<String, String>();
        if (file != null) {
            var properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new ConfigException(file.toString(), "cannot be read: " + e.getMessage(), e);
            }
            properties.stringPropertyNames().forEach(key -> {
                values.put(key, properties.getProperty(key).trim());
                origins.put(key, file + " " + key);
            });
        }
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                var key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                values.put(key, value.trim());
                origins.put(key, name);
            }
        });
        // the launcher-wide event-loop count, unless the proxy's own setting is there
        var loops = env.get(EVENT_LOOPS_ENV);
        if (loops != null && !values.containsKey(CONCURRENCY)) {
            values.put(CONCURRENCY, loops.trim());
            origins.put(CONCURRENCY, EVENT_LOOPS_ENV);
        }
        return new MeshProxyConfigLoader(values, origins).build();
    }

    private MeshProxyConfig build() {
        if (values.containsKey("max.request.bytes")) {
            throw new ConfigException(where("max.request.bytes"), "is not read any more: request bodies stream to the"
                    + " upstream unless a retry may need them; set " + variable("retry.buffer.bytes")
                    + ", the most of a body held for retries (a larger one streams and is tried once)");
        }
        var workload = required("workload");
        var id = text("id", workload + "-" + ProcessHandle.current().pid());
        var outbound = new ListenerConfig(text("outbound.host", LOOPBACK), port("outbound.port", DEFAULT_OUTBOUND_PORT));
        var inbound = !values.containsKey("app.port") ? null : new InboundListenerConfig(new ListenerConfig(text("inbound.host", LOOPBACK),
                    port("inbound.port", DEFAULT_INBOUND_PORT)), text("app.host", null), port("app.port", 0),
                    duration("inbound.timeout"));
        var admin = new ListenerConfig(text("admin.host", LOOPBACK), port("admin.port", DEFAULT_ADMIN_PORT));
        var proxy = at("proxy", () -> new ProxyConfig(id, workload, text("namespace", null), labels(), outbound, inbound,
                admin, TelemetryMode.NONE,
                port("retry.buffer.bytes", (int) ProxyConfig.DEFAULT_RETRY_BUFFER_BYTES, Integer.MAX_VALUE),
                null, port(CONCURRENCY, 0, ProxyConfig.MAX_CONCURRENCY), mirrorLimits()));
        var hazelcast = at("hazelcast", () -> new HazelcastSettings(
                mode(),
                text("hazelcast.cluster.name", HazelcastSettings.DEFAULT_CLUSTER_NAME),
                list("hazelcast.members", List.of(LOOPBACK)), port("hazelcast.port", HazelcastSettings.DEFAULT_PORT)));
        var discovery = at("discovery", () -> new DiscoveryConfig(text("discovery.map", null), duration("discovery.ttl"),
                duration("discovery.heartbeat.interval")));
        TracingConfig tracing = null;
        if (values.containsKey("tracing.sampling.percentage")) {
            var otlp = values.containsKey("tracing.otlp.endpoint")
                    ? new TracingConfig.OtlpExport(URI.create(values.get("tracing.otlp.endpoint")),
                            TracingConfig.OtlpProtocol.parse(text("tracing.otlp.protocol", "grpc")), null)
                    : TracingConfig.OtlpExport.OFF;
            tracing = at("tracing", () -> new TracingConfig(workload, number("tracing.sampling.percentage"),
                    TracingConfig.B3Injection.MULTI, otlp));
        }
        var finalTracing = tracing;
        var service = text("service", proxy.labels().get("app"));
        var identity = identity(service != null ? service : workload);
        return at("proxy", () -> new MeshProxyConfig(proxy, service,
                text("advertise.host", null), required("bootstrap.servers"), new TopicCatalogue(text("topic.prefix", "")),
                hazelcast, discovery, port("telemetry.queue.size", KafkaTelemetryConfig.DEFAULT_QUEUE_CAPACITY, Integer.MAX_VALUE),
                reporters(), finalTracing, identity, sampling()));
    }

    /** Success sampling: {@code telemetry.sampling.successes.percent} (default 100: off) and {@code .slow.threshold}. */
    private TelemetrySampling sampling() {
        var percent = text(SAMPLING_PERCENT, null);
        return at("telemetry.sampling", () -> new TelemetrySampling(percent == null ? 100 : number(SAMPLING_PERCENT),
                duration("telemetry.sampling.slow.threshold")));
    }

    /**
     * The workload identity when {@code join.token.file} is set, else null (a plaintext proxy). The
     * token is read from that file only: a token given as a value is refused, so it never sits in
     * the environment or a properties file.
     */
    private IdentitySettings identity(String defaultServiceAccount) {
        if (values.containsKey(JOIN_TOKEN)) {
            throw new ConfigException(where(JOIN_TOKEN), "a join token is never taken as a value: write it to a file"
                    + " readable only by the proxy and set " + variable(JOIN_TOKEN_FILE) + " to its path");
        }
        var file = text(JOIN_TOKEN_FILE, null);
        if (file == null) {
            for (var key : List.of(TRUST_DOMAIN, SERVICE_ACCOUNT, ROOT_NAMESPACE)) {
                ConfigException.require(text(key, null) == null, where(key), "needs a workload identity, but "
                        + variable(JOIN_TOKEN_FILE) + " (the join token's file) is not set");
            }
            return null;
        }
        var token = JoinTokenFile.read(Path.of(file), where(JOIN_TOKEN_FILE));
        try {
            return new IdentitySettings(text(TRUST_DOMAIN, null), text(SERVICE_ACCOUNT, defaultServiceAccount),
                    text(ROOT_NAMESPACE, null), Path.of(file), token);
        } catch (ConfigException e) {
            // name the variable or file key the bad value came from
            var problem = e.getMessage().substring(e.path().length() + 2);
            throw new ConfigException(where(e.path()), problem, e);
        }
    }

    private static String variable(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private String text(String key, String fallback) {
        var value = values.get(key);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private String required(String key) {
        var value = text(key, null);
        if (value == null) {
            throw new ConfigException(key, "must be set (" + variable(key) + " or '" + key + "' in the file)");
        }
        return value;
    }

    private io.meshlog.proxy.config.MirrorLimits mirrorLimits() {
        var timeout = duration("mirror.timeout");
        return new io.meshlog.proxy.config.MirrorLimits(
                port("mirror.max.in.flight", io.meshlog.proxy.config.MirrorLimits.DEFAULT_MAX_IN_FLIGHT, 100_000),
                timeout != null ? timeout : io.meshlog.proxy.config.MirrorLimits.DEFAULT_TIMEOUT);
    }

    private int port(String key, int fallback) {
        return port(key, fallback, 65535);
    }

    private int port(String key, int fallback, int max) {
        var value = text(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number < 0 || number > max) {
                throw new ConfigException(where(key), "must be between 0 and " + max + ", but was " + number);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new ConfigException(where(key), "must be a whole number, but was '" + value + "'");
        }
    }

    private double number(String key) {
        var value = values.get(key);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(where(key), "must be a number, but was '" + value + "'");
        }
    }

    private java.time.Duration duration(String key) {
        var value = text(key, null);
        if (value == null) {
            return null;
        }
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where(key), e.getMessage());
        }
    }

    private List<String> list(String key, List<String> fallback) {
        var value = text(key, null);
        return value == null ? fallback : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** {@code labels=app=orders,version=v1}. */
    private Map<String, String> labels() {
        var labels = new TreeMap<String, String>();
        for (var pair : list("labels", List.of())) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(where("labels"), "must be name=value pairs separated by commas, but had '"
                        + pair + "'");
            }
            labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return labels;
    }

    private java.util.Set<Reporter> reporters() {
        var value = text("telemetry.reporters", "both").toLowerCase(Locale.ROOT);
        return switch (value) {
            case "both" -> EnumSet.allOf(Reporter.class);
            case "source" -> EnumSet.of(Reporter.SOURCE);
            case "destination" -> EnumSet.of(Reporter.DESTINATION);
            default -> throw new ConfigException(where("telemetry.reporters"),
                    "must be source, destination or both, but was '" + value + "'");
        };
    }

    private String where(String key) {
        return origins.getOrDefault(key, key);
    }

    /** Runs {@code build}; a library's IllegalArgumentException becomes a ConfigException at {@code section}. */
    private static <T> T at(String section, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(section, e.getMessage(), e);
        }
    }

    private HazelcastSettings.Mode mode() {
        var value = text("hazelcast.mode", "embedded");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "embedded" -> HazelcastSettings.Mode.EMBEDDED;
            case "client" -> HazelcastSettings.Mode.CLIENT;
            default -> throw new ConfigException(where("hazelcast.mode"), "must be embedded or client, but was '" + value + "'");
        };
    }
}
