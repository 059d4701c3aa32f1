package io.meshlog.dev;

import com.hazelcast.core.HazelcastInstance;
import io.meshlog.dev.demo.DemoApp;
import io.meshlog.dev.demo.DemoServiceSpec;
import io.meshlog.dev.demo.DemoTopology;
import io.meshlog.dev.demo.EdgeProbes;
import io.meshlog.dev.demo.LegacyExclusion;
import io.meshlog.dev.demo.LoadGenerator;
import io.meshlog.kafka.embedded.Ports;
import io.meshlog.policy.cli.Meshctl;
import io.meshlog.proxy.config.InboundListenerConfig;
import io.meshlog.proxy.config.ListenerConfig;
import io.meshlog.proxy.config.ProxyConfig;
import io.meshlog.proxy.config.TelemetryMode;
import io.meshlog.proxy.discovery.HazelcastSettings;
import io.meshlog.proxy.mesh.MeshProxy;
import io.meshlog.cert.CertService;
import io.meshlog.proxy.identity.IdentityConfig;
import io.meshlog.proxy.identity.SpiffeId;
import io.meshlog.proxy.mesh.MeshProxyConfig;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.schemas.v1.Reporter;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The demo: its policies applied through the policy API (as a user would, with meshctl), then
 * each demo service as a real HTTP app with its own mesh sidecar, and a load generator that calls
 * {@code api-gateway} through a sidecar of its own. Everything shares one Vert.x and the launcher's
 * Hazelcast member.
 */
final class DemoComponent implements DevComponent {
    static final int REQUESTS_PER_SECOND = 40;
    static final String ROOT_NAMESPACE = "meshlog-system";
    /** Renewals reuse the join token, so it must outlive a dev session. */
    static final Duration TOKEN_TTL = Duration.ofDays(30);
    /** When the demo captures its baseline ({@link BaselineCapture#NAME}), over this much traffic. */
    static final Duration BASELINE_AFTER = Duration.ofMinutes(1);

    private final Supplier<String> bootstrapServers;
    private final Supplier<HazelcastInstance> hazelcast;
    private final Supplier<String> policyUrl;
    private final Supplier<String> policyToken;
    private final Supplier<CertService> certService;
    private final Path workDirectory;
    private final Duration flakyAfter;
    private final boolean healthyCanary;
    private final List<MeshProxy> proxies = new ArrayList<>();
    private final List<DemoApp> apps = new ArrayList<>();
    private Vertx vertx;
    private LoadGenerator load;
    private EdgeProbes probes;
    private BaselineCapture baseline;

    DemoComponent(Supplier<String> bootstrapServers, Supplier<HazelcastInstance> hazelcast,
            Supplier<String> policyUrl, Supplier<String> policyToken, Supplier<CertService> certService,
            Path workDirectory, Duration flakyAfter, boolean healthyCanary) {
        this.certService = certService;
        this.bootstrapServers = bootstrapServers;
        this.hazelcast = hazelcast;
        this.policyUrl = policyUrl;
        this.policyToken = policyToken;
        this.workDirectory = workDirectory;
        this.flakyAfter = flakyAfter;
        this.healthyCanary = healthyCanary;
    }

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public void start() {
        apply("policies.yaml");
        vertx = Vertx.vertx();
        startLegacy();
        int entryInbound = -1;
        for (var spec : DemoTopology.services(flakyAfter, healthyCanary)) {
            var proxy = startWorkload(spec);
            if (spec.service().equals(DemoTopology.ENTRY_SERVICE)) {
                entryInbound = proxy.inboundPort();
            }
        }
        var loadSidecar = startProxy("loadgen", "loadgen", Map.of("app", "loadgen"), Ports.freePort(), 0);
        load = new LoadGenerator(vertx, "127.0.0.1", loadSidecar.outboundPort(), DemoTopology.ENTRY_SERVICE,
                REQUESTS_PER_SECOND, 0.05);
        load.start();
        probes = new EdgeProbes(vertx, entryInbound, loadSidecar.outboundPort());
        probes.start();
        // Once orders v2 is up: the canary controller takes over the orders route from here.
        apply("canary.yaml");
        baseline = new BaselineCapture(vertx, bootstrapServers, BASELINE_AFTER);
        baseline.start();
    }

    /** legacy-billing: a plain app without a sidecar, in the registry of excluded workloads with its reason. */
    private void startLegacy() {
        var app = new DemoApp(vertx, DemoTopology.legacy(), 0, Clock.systemUTC());
        int port = await(app.start().toCompletionStage().toCompletableFuture(), DemoTopology.LEGACY_SERVICE + " app");
        apps.add(app);
        apply(LegacyExclusion.document(port), "demo-exclusions.yaml");
    }

    /** Applies the demo resource {@code /demo/<name>} through meshctl, as a user would. */
    private void apply(String name) {
        Path file;
        try (var in = DemoComponent.class.getResourceAsStream("/demo/" + name)) {
            Files.createDirectories(workDirectory);
            file = workDirectory.resolve("demo-" + name);
            Files.write(file, in.readAllBytes());
        } catch (IOException | NullPointerException e) {
            throw new DevStartException("cannot write the demo's " + name + " to " + workDirectory + ": " + e.getMessage(), e);
        }
        apply(file);
    }

    private void apply(String yaml, String fileName) {
        var file = workDirectory.resolve(fileName);
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new DevStartException("cannot write " + file + ": " + e.getMessage(), e);
        }
        apply(file);
    }

    private void apply(Path file) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Meshctl.run(new String[] {"apply", "-f", file.toString()},
                Map.of("MESHCTL_SERVER", policyUrl.get(), "MESHCTL_TOKEN", policyToken.get()),
                new PrintWriter(out, true), new PrintWriter(err, true));
        if (code != 0) {
            throw new DevStartException("applying the demo's " + file.getFileName() + " failed: " + err.toString().strip());
        }
    }

    private MeshProxy startWorkload(DemoServiceSpec spec) {
        int outboundPort = spec.calls().isEmpty() ? 0 : Ports.freePort();
        var app = new DemoApp(vertx, spec, outboundPort, Clock.systemUTC());
        int appPort = await(app.start().toCompletionStage().toCompletableFuture(), spec.instance() + " app");
        apps.add(app);
        return startProxy(spec.service(), spec.instance(), spec.labels(), outboundPort, appPort);
    }

    private MeshProxy startProxy(String service, String instance, Map<String, String> labels, int outboundPort,
            int appPort) {
        var outbound = outboundPort == 0 ? null : new ListenerConfig("127.0.0.1", outboundPort);
        var inbound = appPort == 0 ? null
                : new InboundListenerConfig(new ListenerConfig("127.0.0.1", 0), "127.0.0.1", appPort, Duration.ZERO);
        var proxyConfig = new ProxyConfig(instance, instance, DemoTopology.NAMESPACE, labels, outbound, inbound,
                new ListenerConfig("127.0.0.1", 0), TelemetryMode.NONE);
        // Only the calling side reports, so each request is counted once on its edge.
        var config = new MeshProxyConfig(proxyConfig, service, null, bootstrapServers.get(), TopicCatalogue.standard(),
                HazelcastSettings.embedded(HazelcastComponent.CLUSTER_NAME), null, 50_000, Set.of(Reporter.SOURCE), null);
        var proxy = new MeshProxy(config, hazelcast.get(), Clock.systemUTC())
                .withIdentity(identity(instance, service), ROOT_NAMESPACE);
        proxies.add(proxy);
        await(proxy.start(vertx).toCompletionStage().toCompletableFuture(), instance + " sidecar");
        return proxy;
    }

    /**
     * Each sidecar makes its own key and gets its certificate from cert-service through Kafka,
     * with a join token for its service account (the token itself never goes on Kafka).
     */
    private IdentityConfig identity(String proxyId, String serviceAccount) {
        var token = certService.get().tokens().issue(DemoTopology.NAMESPACE, serviceAccount, TOKEN_TTL);
        return IdentityConfig.of(proxyId,
                new SpiffeId(CertServiceComponent.TRUST_DOMAIN, DemoTopology.NAMESPACE, serviceAccount),
                token.value(), TopicCatalogue.standard(), Map.of("bootstrap.servers", bootstrapServers.get()));
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future, String what) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            var cause = e.getCause() == null ? e : e.getCause();
            throw new DevStartException("cannot start " + what + ": " + cause.getMessage(), cause);
        }
    }

    /** Admin URLs of the sidecars, for the banner. */
    List<String> adminUrls() {
        var urls = new ArrayList<String>();
        for (var proxy : proxies) {
            urls.add(String.format("%-16s http://127.0.0.1:%d/clusters", proxy.config().proxy().proxyId(), proxy.adminPort()));
        }
        return urls;
    }

    List<Integer> adminPorts() {
        return proxies.stream().map(MeshProxy::adminPort).toList();
    }

    @Override
    public List<String> endpoints() {
        var lines = new ArrayList<String>();
        lines.add("demo                      " + (apps.size() - 1) + " workloads with sidecars and "
                + DemoTopology.LEGACY_SERVICE + " without (excluded), load "
                + REQUESTS_PER_SECOND + " req/s into " + DemoTopology.ENTRY_SERVICE
                + "; inventory-3 turns flaky after " + flakyAfter.toSeconds() + " s; baseline "
                + BaselineCapture.NAME + " captured after " + BASELINE_AFTER.toSeconds() + " s");
        for (var url : adminUrls()) {
            lines.add("  sidecar admin  " + url);
        }
        return lines;
    }

    @Override
    public void close() {
        if (baseline != null) {
            baseline.stop();
        }
        if (probes != null) {
            probes.stop();
        }
        if (load != null) {
            load.stop();
        }
        for (int i = proxies.size() - 1; i >= 0; i--) {
            try {
                proxies.get(i).close();
            } catch (RuntimeException ignored) {
                // Keep stopping the others.
            }
        }
        apps.forEach(DemoApp::stop);
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // Leaving: nothing else to release.
            }
        }
    }
}
