package io.meshlog.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker and KRaft controller in this JVM, from Kafka's own artifacts, on 127.0.0.1.
 * Formats its data directory on first start and reuses it afterwards. Kafka-internal APIs
 * ({@code KafkaRaftServer}, {@code StorageTool}) are used here and nowhere else.
 */
public final class EmbeddedKafkaBroker implements KafkaBroker {
    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final EmbeddedBrokerConfig config;
    private KafkaRaftServer server;
    private int port;

    public EmbeddedKafkaBroker(EmbeddedBrokerConfig config) {
        this.config = config;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        var dataDir = prepareDirectory(config.dataDirectory());
        port = config.port() == 0 ? Ports.freePort() : config.port();
        int controllerPort = config.controllerPort() == 0 ? Ports.freePort() : config.controllerPort();
        Ports.requireFree(port, "Kafka client listener");
        Ports.requireFree(controllerPort, "Kafka controller listener");

        var properties = brokerProperties(dataDir, port, controllerPort);
        var propertiesFile = dataDir.resolve("server.properties");
        write(properties, propertiesFile);
        formatIfNeeded(dataDir, propertiesFile);

        long started = System.nanoTime();
        var raftServer = new KafkaRaftServer(new KafkaConfig(properties, false), Time.SYSTEM);
        try {
            raftServer.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(raftServer);
            throw new BrokerStartException("Kafka broker failed to start: " + e.getMessage(), e);
        }
        server = raftServer;
        awaitReady();
        LOGGER.atInfo().addKeyValue("bootstrap", bootstrapServers())
                .addKeyValue("dataDir", dataDir)
                .addKeyValue("startMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                .log("embedded Kafka broker ready");
    }

    @Override
    public String bootstrapServers() {
        if (port == 0) {
            throw new IllegalStateException("broker not started");
        }
        return "127.0.0.1:" + port;
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        shutdownQuietly(server);
        server = null;
        LOGGER.atInfo().addKeyValue("bootstrap", "127.0.0.1:" + port).log("embedded Kafka broker stopped");
    }

    private static void shutdownQuietly(KafkaRaftServer raftServer) {
        try {
            raftServer.shutdown();
            raftServer.awaitShutdown();
        } catch (RuntimeException e) {
            LOGGER.atWarn().addKeyValue("error", e.getMessage()).log("broker shutdown was not clean");
        }
    }

    private static Path prepareDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new BrokerStartException("cannot create the Kafka data directory " + dir + ": "
                    + e.getMessage(), e);
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new BrokerStartException("the Kafka data directory " + dir
                    + " is not a writable directory");
        }
        return dir.toAbsolutePath();
    }

    private Properties brokerProperties(Path dataDir, int clientPort, int controllerPort) {
        var p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        // A single broker: every internal topic gets one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        // The 128 MB default dedupe buffer is most of a dev broker's heap; 2 MB is plenty here.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        p.put("log.cleaner.backoff.ms", "5000");
        p.putAll(config.overrides());
        return p;
    }

    private static void write(Properties properties, Path file) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "written by meshlog's EmbeddedKafkaBroker on every start");
        } catch (IOException e) {
            throw new BrokerStartException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void formatIfNeeded(Path dataDir, Path propertiesFile) {
        if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            return;
        }
        var output = new ByteArrayOutputStream();
        int rc;
        try (var out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {
                "format", "-t", Uuid.randomUuid().toString(), "-c", propertiesFile.toString(),
                "--standalone"
            }, out);
        } catch (RuntimeException e) {
            throw new BrokerStartException("cannot format the Kafka data directory " + dataDir
                    + ": " + e.getMessage(), e);
        }
        if (rc != 0) {
            throw new BrokerStartException("cannot format the Kafka data directory " + dataDir
                    + ": " + output.toString(StandardCharsets.UTF_8).strip());
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        Exception last = null;
        try (var admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000))) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new BrokerStartException("interrupted waiting for the broker", e);
                } catch (Exception e) {
                    last = e;
                }
                sleep(100);
            }
        }
        close();
        throw new BrokerStartException("Kafka broker did not accept clients within "
                + config.startTimeout() + (last == null ? "" : ": " + last.getMessage()), last);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
