package io.meshlog.proxy.bootstrap;

import io.meshlog.proxy.config.ConfigException;
import io.meshlog.proxy.config.HttpLimits;
import io.meshlog.proxy.config.InboundListenerConfig;
import io.meshlog.proxy.config.ListenerConfig;
import io.meshlog.proxy.config.ProxyConfig;
import io.meshlog.proxy.config.TelemetryMode;
import io.meshlog.policy.model.Durations;
import io.meshlog.policy.parse.DocumentParser;
import io.meshlog.policy.parse.PolicyParseException;
import io.meshlog.policy.parse.YamlLimits;
import io.meshlog.policy.parse.YamlValues;
import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.telemetry.KafkaTelemetryConfig;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.PolicyEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a static bootstrap file (YAML, or JSON which is YAML too). One document holds the proxy's
 * own settings: {@code proxy}, {@code listeners}, {@code services} with fixed endpoints,
 * {@code telemetry}, {@code tracing} and {@code policyFiles}. Policies are the same Istio-shaped
 * documents {@code meshctl apply -f} takes, read by the same parser: after the settings in the same
 * file (separated by {@code ---}) and/or in the files or directories {@code policyFiles} lists
 * (relative to the bootstrap file). Every error names the file and the path of the bad value.
 */
public final class BootstrapLoader {
    private static final Logger LOGGER = LoggerFactory.getLogger(BootstrapLoader.class);

    private BootstrapLoader() {}

    /** Loads {@code file}. */
    public static StaticBootstrap load(Path file) {
        try {
            var base = file.toAbsolutePath().getParent();
            return parse(Files.readString(file), file.toString(), base);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Parses bootstrap text; {@code source} names it in errors; policyFiles are relative to the working directory. */
    public static StaticBootstrap parse(String text, String source) {
        return parse(text, source, Path.of(""));
    }

    /**
     * The policy documents of {@code text} (Istio-shaped, multi-document YAML or JSON, as for
     * {@code meshctl apply -f}) as the events the policy API would publish; every error at once.
     */
    public static List<PolicyEvent> policies(String text, String source) {
        var parser = new DocumentParser(YamlLimits.DEFAULT);
        var policies = new BootstrapPolicies(parser);
        try {
            parser.parse(text, BootstrapPolicies.DEFAULT_NAMESPACE).forEach(p -> policies.add(p, source));
        } catch (PolicyParseException e) {
            throw new ConfigException(source + (e.line() > 0 ? ":" + e.line() : ""), e.getMessage(), e);
        }
        return policies.events();
    }

    private static StaticBootstrap parse(String text, String source, Path base) {
        var parser = new DocumentParser(YamlLimits.DEFAULT);
        var policies = new BootstrapPolicies(parser);
        Settings root = null;
        try {
            for (var node : parser.nodes(text)) {
                if (DocumentParser.isPolicy(node)) {
                    policies.add(parser.document(node, BootstrapPolicies.DEFAULT_NAMESPACE, text), source);
                } else {
                    ConfigException.require(root == null, "(document at line " + YamlValues.line(node) + ")",
                            "only one document may hold the proxy settings; policy documents need a kind");
                    root = new Settings(YamlValues.of(node), "");
                }
            }
        } catch (PolicyParseException e) {
            throw new ConfigException(source + (e.line() > 0 ? ":" + e.line() : ""), "is not valid YAML or JSON: " + e.getMessage(), e);
        } catch (ConfigException e) {
            throw within(source, e);
        }
        try {
            ConfigException.require(root != null && root.isMap(), "(root)", "must hold a mapping with listeners");
            ConfigException.require(root.get("policies").absent(), "policies", "is not read any more: write policies "
                    + "as documents (apiVersion, kind, metadata, spec) after '---' in this file, or list their files "
                    + "in policyFiles, as for meshctl apply -f");
            for (var file : root.get("policyFiles").items()) {
                policies.addFile(base.resolve(file.text("")), file.path());
            }
            var proxy = proxy(root);
            var bootstrap = new StaticBootstrap(proxy, endpoints(root.get("services")), policies.events(),
                    tracing(root.get("tracing")),
                    proxy.telemetry() == TelemetryMode.KAFKA ? kafkaTelemetry(root.get("telemetry")) : null);
            policies.warnings().forEach(w -> LOGGER.atWarn().addKeyValue("warning", w).log("policy accepted with a warning"));
            return bootstrap;
        } catch (ConfigException e) {
            throw within(source, e);
        }
    }

    private static ConfigException within(String source, ConfigException e) {
        return new ConfigException(source + " " + e.path(), e.getMessage().substring(e.path().length() + 2), e);
    }

    private static ProxyConfig proxy(Settings root) {
        var proxy = root.get("proxy");
        var listeners = root.get("listeners");
        ConfigException.require(listeners.isMap(), "listeners", "must be a mapping with outbound, inbound and/or admin");
        ConfigException.require(proxy.get("maxRequestBytes").absent(), "proxy.maxRequestBytes", "is not read any more:"
                + " request bodies stream to the upstream unless a retry may need them; set proxy.retryBufferBytes,"
                + " the most of a body held for retries (a larger one streams and is tried once)");
        var workload = proxy.get("workload").text("static-proxy");
        return new ProxyConfig(
                proxy.get("id").text(workload), workload,
                proxy.get("namespace").text(null),
                proxy.get("labels").strings(),
                listener(listeners.get("outbound")),
                inbound(listeners.get("inbound")),
                listener(listeners.get("admin")),
                telemetry(root.get("telemetry").get("sink")),
                proxy.get("retryBufferBytes").number(ProxyConfig.DEFAULT_RETRY_BUFFER_BYTES),
                httpLimits(listeners.get("http")),
                (int) proxy.get("concurrency").number(0),
                mirrorLimits(proxy.get("mirror")));
    }

    /** {@code proxy.mirror}: how many shadows may be in flight and for how long. */
    private static io.meshlog.proxy.config.MirrorLimits mirrorLimits(Settings node) {
        if (node.absent()) {
            return io.meshlog.proxy.config.MirrorLimits.DEFAULTS;
        }
        var timeout = node.get("timeout");
        return new io.meshlog.proxy.config.MirrorLimits(
                (int) node.get("maxInFlight").number(io.meshlog.proxy.config.MirrorLimits.DEFAULT_MAX_IN_FLIGHT),
                timeout.absent() ? io.meshlog.proxy.config.MirrorLimits.DEFAULT_TIMEOUT : duration(timeout));
    }

    private static final java.util.Set<String> HTTP_LIMITS =
            java.util.Set.of("maxHeaders", "maxHeaderBytes", "maxUriBytes", "maxChunkBytes", "headerReadTimeout");

    /** {@code listeners.http}: the HTTP/1.1 limits of the outbound and inbound listeners. */
    private static HttpLimits httpLimits(Settings node) {
        if (node.absent()) {
            return HttpLimits.DEFAULTS;
        }
        ConfigException.require(node.isMap(), node.path(), "must be a mapping");
        for (var name : node.strings().keySet()) {
            ConfigException.require(HTTP_LIMITS.contains(name), node.path() + "." + name,
                    "is not a known setting (one of " + new java.util.TreeSet<>(HTTP_LIMITS) + ")");
        }
        var d = HttpLimits.DEFAULTS;
        var timeout = node.get("headerReadTimeout");
        return new HttpLimits((int) node.get("maxHeaders").number(d.maxHeaders()),
                (int) node.get("maxHeaderBytes").number(d.maxHeaderBytes()),
                (int) node.get("maxUriBytes").number(d.maxUriBytes()),
                node.get("maxChunkBytes").number(d.maxChunkBytes()),
                timeout.absent() ? d.headerReadTimeout() : duration(timeout));
    }

    private static ListenerConfig listener(Settings node) {
        if (node.absent()) {
            return null;
        }
        ConfigException.require(node.isMap(), node.path(), "must be a mapping with host and port");
        var port = node.get("port");
        ConfigException.require(!port.absent(), port.path(), "must be a number");
        try {
            return new ListenerConfig(node.get("host").text("127.0.0.1"), (int) port.number(0));
        } catch (ConfigException e) {
            throw new ConfigException(node.path() + "." + e.path(), e.getMessage().substring(e.path().length() + 2));
        }
    }

    private static InboundListenerConfig inbound(Settings node) {
        var listen = listener(node);
        if (listen == null) {
            return null;
        }
        var timeout = node.get("timeout");
        return new InboundListenerConfig(listen, node.get("appHost").text(null), (int) node.get("appPort").number(0),
                timeout.absent() ? Duration.ZERO : duration(timeout));
    }

    private static Duration duration(Settings node) {
        try {
            return Durations.parse(node.text(""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(node.path(), e.getMessage());
        }
    }

    private static double tracing(Settings node) {
        if (!node.get("enabled").flag(false)) {
            return -1;
        }
        double value = node.get("samplingPercentage").decimal(1.0);
        ConfigException.require(value >= 0, "tracing.samplingPercentage", "must be between 0 and 100, but was " + value);
        return value;
    }

    private static TelemetryMode telemetry(Settings node) {
        if (node.absent()) {
            return TelemetryMode.NONE;
        }
        try {
            return TelemetryMode.valueOf(node.text("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("telemetry.sink", "must be none, log or kafka, but was " + node.text(""));
        }
    }

    /** {@code telemetry: {sink: kafka, bootstrapServers: host:port, topic: ..., queueCapacity: ...}} */
    private static KafkaTelemetryConfig kafkaTelemetry(Settings node) {
        var servers = node.get("bootstrapServers").text("");
        ConfigException.require(!servers.isBlank(), "telemetry.bootstrapServers",
                "must be set (host:port of a Kafka broker) when the sink is kafka");
        var config = KafkaTelemetryConfig.defaults(servers,
                node.get("topic").text(TopicCatalogue.standard().telemetry().name()));
        var capacity = node.get("queueCapacity");
        if (capacity.absent()) {
            return config;
        }
        ConfigException.require(capacity.value() instanceof Long n && n >= 1, "telemetry.queueCapacity",
                "must be a whole number of at least 1, but was " + capacity.value());
        return config.withQueueCapacity((int) capacity.number(1));
    }

    private static List<Endpoint> endpoints(Settings services) {
        var endpoints = new ArrayList<Endpoint>();
        for (var service : services.items()) {
            var name = service.get("name").text("");
            ConfigException.require(!name.isBlank(), service.path() + ".name", "must be set");
            var list = service.get("endpoints").items();
            ConfigException.require(!list.isEmpty(), service.path() + ".endpoints", "must list at least one endpoint");
            for (var endpoint : list) {
                endpoints.add(endpoint(name, endpoint));
            }
        }
        return endpoints;
    }

    private static Endpoint endpoint(String service, Settings node) {
        var port = node.get("port").value() instanceof Long n ? n : 0L;
        ConfigException.require(port >= 1 && port <= 65535, node.path() + ".port",
                "must be between 1 and 65535, but was " + node.get("port").value());
        var labels = node.get("labels").strings();
        var servicePort = node.get("servicePort").value() instanceof Long n ? n : port;
        ConfigException.require(servicePort >= 1 && servicePort <= 65535, node.path() + ".servicePort",
                "must be between 1 and 65535, but was " + node.get("servicePort").value());
        return new Endpoint(service, node.get("host").text("127.0.0.1"), (int) port, labels,
                node.get("workload").text(service + labels.getOrDefault("version", "")), "", (int) servicePort);
    }
}
