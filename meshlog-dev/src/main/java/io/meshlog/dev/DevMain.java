package io.meshlog.dev;

import io.meshlog.kafka.embedded.EmbeddedBrokerConfig;
import io.meshlog.schemas.topics.TopicCatalogue;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.meshlog.dev.view.LiveView;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import io.meshlog.cert.config.CertServiceConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshlog}: the launcher of the embedded default. {@code meshlog dev} starts a real Kafka
 * broker with every topic, then the mesh's services, and runs until Ctrl-C.
 */
@Command(name = "meshlog", mixinStandardHelpOptions = true, version = "meshlog 0.1.0-SNAPSHOT",
        description = "meshlog, an event-driven service mesh on Kafka",
        subcommands = {DevMain.Dev.class})
public final class DevMain implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // The services' jars carry their own logback.xml for standalone use; the launcher's wins.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "meshlog-dev-logback.xml");
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new DevMain())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("meshlog: " + e.getMessage());
                    return 1;
                });
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /** {@code meshlog dev}: everything on this machine, no Docker. */
    @Command(name = "dev", mixinStandardHelpOptions = true,
            description = "Start a real Kafka broker (KRaft), every topic and the mesh on 127.0.0.1; Ctrl-C stops it")
    static final class Dev implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--state-dir", defaultValue = ".meshlog",
                description = "Where broker data, the CA and logs live; reused on the next start (default: ${DEFAULT-VALUE})")
        Path stateDir;

        @Option(names = "--kafka-port", defaultValue = "" + EmbeddedBrokerConfig.DEFAULT_PORT,
                description = "Kafka client port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
        int kafkaPort;

        @Option(names = "--controller-port", defaultValue = "" + EmbeddedBrokerConfig.DEFAULT_CONTROLLER_PORT,
                description = "KRaft controller port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
        int controllerPort;

        @Option(names = "--policy-port", defaultValue = "" + DevConfig.DEFAULT_POLICY_PORT,
                description = "Policy API port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
        int policyPort;

        @Option(names = "--pipeline-metrics-port", defaultValue = "" + DevConfig.DEFAULT_PIPELINE_METRICS_PORT,
                description = "Telemetry pipeline's Prometheus port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
        int pipelineMetricsPort;

        @Option(names = "--console-port", defaultValue = "" + DevConfig.DEFAULT_CONSOLE_PORT,
                description = "Web console port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
        int consolePort;

        @Option(names = "--reset", description = "Wipe the state directory first")
        boolean reset;

        @Option(names = "--no-demo", negatable = true, defaultValue = "true",
                description = "Start only the mesh, without the demo services")
        boolean demo;

        @Option(names = "--healthy-canary",
                description = "Start the demo's orders v2 without its failures: its Canary is promoted "
                        + "step by step instead of rolled back")
        boolean healthyCanary;

        @Option(names = "--broker-only",
                description = "Start only the Kafka broker with every topic (for proxies run from a static "
                        + "bootstrap with a kafka telemetry sink, or your own analytics)")
        boolean brokerOnly;

        @Option(names = "--exit-when-ready", hidden = true,
                description = "Stop again as soon as everything is up (smoke tests)")
        boolean exitWhenReady;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            var config = new DevConfig(stateDir, kafkaPort, controllerPort, policyPort,
                    pipelineMetricsPort, consolePort, demo, null, healthyCanary);
            try {
                return run(config, out, err);
            } catch (DevStartException e) {
                err.println("meshlog dev: " + e.getMessage());
                return 1;
            }
        }

        private int run(DevConfig config, PrintWriter out, PrintWriter err) {
            if (reset) {
                StateDirectory.wipe(config.stateDirectory());
                out.println("state directory " + config.stateDirectory().toAbsolutePath() + " wiped");
            }
            try (var state = StateDirectory.open(config.stateDirectory())) {
                var stack = new DevStack(brokerOnly ? brokerComponents(config) : components(config));
                var stopped = new CountDownLatch(1);
                var hook = new Thread(() -> {
                    out.println();
                    out.println("stopping meshlog dev ...");
                    out.flush();
                    stack.close();
                    stopped.countDown();
                }, "meshlog-dev-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    stack.start();
                } catch (RuntimeException e) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                    throw e;
                }
                printReady(out, state.root(), stack.endpoints());
                if (exitWhenReady) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                    stack.close();
                    return 0;
                }
                if (brokerOnly) {
                    awaitQuietly(stopped);
                    return 0;
                }
                try (var view = liveView(config, state.root(), stack.endpoints(), out)) {
                    view.start();
                    awaitQuietly(stopped);
                }
                return 0;
            }
        }

        static List<DevComponent> brokerComponents(DevConfig config) {
            var broker = new BrokerComponent(config);
            return List.of(broker, new TopicsComponent(broker::bootstrapServers, TopicCatalogue.standard()));
        }

        static List<DevComponent> components(DevConfig config) {
            var components = new ArrayList<DevComponent>();
            var broker = new BrokerComponent(config);
            components.add(new PortsComponent(Map.of(
                    config.policyPort(), "policy API", config.pipelineMetricsPort(), "pipeline metrics",
                    config.consolePort(), "console")));
            components.add(broker);
            components.add(new TopicsComponent(broker::bootstrapServers, TopicCatalogue.standard()));
            var hazelcast = new HazelcastComponent();
            components.add(hazelcast);
            var certs = new CertServiceComponent(broker::bootstrapServers, config.caDirectory(),
                    CertServiceConfig.DEFAULT_LEAF_LIFETIME);
            components.add(certs);
            var policy = new PolicyServiceComponent(broker::bootstrapServers, config.policyTokenFile(),
                    config.policyPort());
            components.add(policy);
            components.add(new PipelineComponent(broker::bootstrapServers, config.pipelineDirectory(),
                    config.pipelineMetricsPort()));
            components.add(new ConsoleComponent(broker::bootstrapServers, config.consolePort()));
            if (config.demo()) {
                components.add(new DemoComponent(broker::bootstrapServers, hazelcast::instance, policy::url,
                        policy::token, certs::service, config.stateDirectory().resolve("demo"), config.demoFlakyAfter(),
                        config.demoHealthyCanary()));
            }
            return components;
        }

        private static LiveView liveView(DevConfig config, Path state, List<String> endpoints, PrintWriter out) {
            var header = new ArrayList<String>();
            header.add("meshlog dev (state: " + state + ")   Ctrl-C stops everything");
            endpoints.forEach(line -> header.add("  " + line));
            header.add("");
            header.add("Try:  export MESHCTL_SERVER=http://127.0.0.1:" + config.policyPort()
                    + " MESHCTL_TOKEN=$(cat " + config.policyTokenFile().toAbsolutePath() + ")");
            header.add("      bin/meshctl get VirtualService -n shop    bin/meshctl status    "
                    + "bin/meshctl tail alerts --from-beginning --bootstrap-server 127.0.0.1:" + config.kafkaPort());
            header.add("      bin/meshctl canary status orders -n shop    (a healthy v2 instead: bin/meshlog dev "
                    + "--healthy-canary)");
            boolean terminal = System.console() != null;
            return new LiveView("127.0.0.1:" + config.kafkaPort(), TopicCatalogue.standard(), Clock.systemUTC(),
                    header, out, terminal, Duration.ofSeconds(terminal ? 2 : 15));
        }

        private static void printReady(PrintWriter out, Path state, List<String> endpoints) {
            out.println();
            out.println("meshlog dev is running (state: " + state + ")");
            out.println();
            endpoints.forEach(line -> out.println("  " + line));
            out.println();
            out.println("Try:  kafka-topics.sh --bootstrap-server " + endpointsBootstrap(endpoints) + " --list");
            out.println("Stop: Ctrl-C");
            out.flush();
        }

        private static String endpointsBootstrap(List<String> endpoints) {
            return endpoints.stream().filter(l -> l.startsWith("kafka")).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .findFirst().orElse("127.0.0.1:9092");
        }

        private static void awaitQuietly(CountDownLatch latch) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
