package io.meshlog.proxy.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshlog.proxy.telemetry.KafkaTelemetryConfig;
import io.meshlog.schemas.topics.TopicCatalogue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.schemas.v1.PolicyEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a static bootstrap file (YAML, or JSON which is YAML too): {@code proxy}, {@code listeners},
 * {@code services} with fixed endpoints, and {@code policies} in the same shape as on the policy
 * topic. Every error names the file and the path of the bad value.
 */
public final class BootstrapLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private BootstrapLoader() {}

    /** Loads {@code file}. */
    public static StaticBootstrap load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Parses bootstrap text; {@code source} names it in errors. */
    public static StaticBootstrap parse(String text, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, "is not valid YAML or JSON: " + e.getOriginalMessage(), e);
        }
        try {
            ConfigException.require(root != null && root.isObject(), "(root)", "must be a mapping");
            var proxy = proxy(root);
            return new StaticBootstrap(proxy, endpoints(root.path("services")), policies(root.path("policies")),
                    tracing(root.path("tracing")),
                    proxy.telemetry() == TelemetryMode.KAFKA ? kafkaTelemetry(root.path("telemetry")) : null);
        } catch (ConfigException e) {
            throw new ConfigException(source + " " + e.path(), e.getMessage().substring(e.path().length() + 2), e);
        }
    }

    private static ProxyConfig proxy(JsonNode root) {
        var proxy = root.path("proxy");
        var listeners = root.path("listeners");
        ConfigException.require(listeners.isObject(), "listeners", "must be a mapping with outbound, inbound and/or admin");
        return new ProxyConfig(
                proxy.path("id").asText(proxy.path("workload").asText("static-proxy")),
                proxy.path("workload").asText("static-proxy"),
                proxy.path("namespace").asText(null),
                stringMap(proxy.path("labels"), "proxy.labels"),
                listener(listeners.get("outbound"), "listeners.outbound"),
                inbound(listeners.get("inbound")),
                listener(listeners.get("admin"), "listeners.admin"),
                telemetry(root.path("telemetry").path("sink")),
                maxRequestBytes(proxy.path("maxRequestBytes")),
                httpLimits(listeners.path("http")));
    }

    /** {@code listeners.http}: the HTTP/1.1 limits of the outbound and inbound listeners. */
    private static HttpLimits httpLimits(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return HttpLimits.DEFAULTS;
        }
        ConfigException.require(node.isObject(), "listeners.http", "must be a mapping");
        var known = java.util.Set.of("maxHeaders", "maxHeaderBytes", "maxUriBytes", "maxChunkBytes", "headerReadTimeout");
        node.fieldNames().forEachRemaining(name -> ConfigException.require(known.contains(name),
                "listeners.http." + name, "is not a known setting (one of " + new java.util.TreeSet<>(known) + ")"));
        var d = HttpLimits.DEFAULTS;
        var timeout = node.get("headerReadTimeout");
        return new HttpLimits(intOf(node, "maxHeaders", d.maxHeaders()), intOf(node, "maxHeaderBytes", d.maxHeaderBytes()),
                intOf(node, "maxUriBytes", d.maxUriBytes()), intOf(node, "maxChunkBytes", (int) d.maxChunkBytes()),
                timeout == null ? d.headerReadTimeout()
                        : DurationParser.parse(timeout.asText(), "listeners.http.headerReadTimeout"));
    }

    private static int intOf(JsonNode node, String field, int fallback) {
        var value = node.get(field);
        if (value == null) {
            return fallback;
        }
        ConfigException.require(value.isIntegralNumber(), "listeners.http." + field, "must be a number, but was " + value);
        return value.asInt();
    }

    private static long maxRequestBytes(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return ProxyConfig.DEFAULT_MAX_REQUEST_BYTES;
        }
        ConfigException.require(node.isIntegralNumber(), "proxy.maxRequestBytes",
                "must be a number of bytes, but was " + node);
        return node.asLong();
    }

    private static ListenerConfig listener(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        ConfigException.require(node.isObject(), path, "must be a mapping with host and port");
        var port = node.get("port");
        ConfigException.require(port != null && port.isIntegralNumber(), path + ".port", "must be a number");
        try {
            return new ListenerConfig(node.path("host").asText("127.0.0.1"), port.asInt());
        } catch (ConfigException e) {
            throw new ConfigException(path + "." + e.path(), e.getMessage().substring(e.path().length() + 2));
        }
    }

    private static InboundListenerConfig inbound(JsonNode node) {
        var listen = listener(node, "listeners.inbound");
        if (listen == null) {
            return null;
        }
        var timeout = node.get("timeout");
        return new InboundListenerConfig(listen, node.path("appHost").asText(null), node.path("appPort").asInt(0),
                timeout == null ? Duration.ZERO : DurationParser.parse(timeout.asText(), "listeners.inbound.timeout"));
    }

    private static double tracing(JsonNode node) {
        if (!node.path("enabled").asBoolean(false)) {
            return -1;
        }
        var percentage = node.path("samplingPercentage");
        ConfigException.require(percentage.isMissingNode() || percentage.isNumber(), "tracing.samplingPercentage",
                "must be a number between 0 and 100, but was " + percentage);
        double value = percentage.asDouble(1.0);
        ConfigException.require(value >= 0, "tracing.samplingPercentage", "must be between 0 and 100, but was " + value);
        return value;
    }

    private static TelemetryMode telemetry(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return TelemetryMode.NONE;
        }
        try {
            return TelemetryMode.valueOf(node.asText().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("telemetry.sink", "must be none, log or kafka, but was " + node.asText());
        }
    }

    /** {@code telemetry: {sink: kafka, bootstrapServers: host:port, topic: ..., queueCapacity: ...}} */
    private static KafkaTelemetryConfig kafkaTelemetry(JsonNode node) {
        var servers = node.path("bootstrapServers").asText("");
        ConfigException.require(!servers.isBlank(), "telemetry.bootstrapServers",
                "must be set (host:port of a Kafka broker) when the sink is kafka");
        var config = KafkaTelemetryConfig.defaults(servers,
                node.path("topic").asText(TopicCatalogue.standard().telemetry().name()));
        var capacity = node.path("queueCapacity");
        if (capacity.isMissingNode()) {
            return config;
        }
        ConfigException.require(capacity.isIntegralNumber() && capacity.asInt() >= 1, "telemetry.queueCapacity",
                "must be a whole number of at least 1, but was " + capacity);
        return config.withQueueCapacity(capacity.asInt());
    }

    private static List<Endpoint> endpoints(JsonNode services) {
        if (services.isMissingNode() || services.isNull()) {
            return List.of();
        }
        ConfigException.require(services.isArray(), "services", "must be a list");
        var endpoints = new ArrayList<Endpoint>();
        for (int i = 0; i < services.size(); i++) {
            var service = services.get(i);
            var path = "services[" + i + "]";
            var name = service.path("name").asText("");
            ConfigException.require(!name.isBlank(), path + ".name", "must be set");
            var list = service.path("endpoints");
            ConfigException.require(list.isArray() && !list.isEmpty(), path + ".endpoints", "must list at least one endpoint");
            for (int j = 0; j < list.size(); j++) {
                endpoints.add(endpoint(name, list.get(j), path + ".endpoints[" + j + "]"));
            }
        }
        return endpoints;
    }

    private static Endpoint endpoint(String service, JsonNode node, String path) {
        var port = node.path("port").asInt(0);
        ConfigException.require(port >= 1 && port <= 65535, path + ".port", "must be between 1 and 65535, but was " + node.path("port"));
        var labels = stringMap(node.path("labels"), path + ".labels");
        return new Endpoint(service, node.path("host").asText("127.0.0.1"), port, labels,
                node.path("workload").asText(service + labels.getOrDefault("version", "")), "");
    }

    private static List<PolicyEvent> policies(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        ConfigException.require(node.isArray(), "policies", "must be a list");
        var policies = new ArrayList<PolicyEvent>();
        for (int i = 0; i < node.size(); i++) {
            policies.add(PolicyJsonReader.read(node.get(i), "policies[" + i + "]"));
        }
        return policies;
    }

    private static Map<String, String> stringMap(JsonNode node, String path) {
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        ConfigException.require(node.isObject(), path, "must be a mapping of strings");
        var map = new HashMap<String, String>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
