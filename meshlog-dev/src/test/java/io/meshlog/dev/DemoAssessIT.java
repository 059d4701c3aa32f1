package io.meshlog.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.dev.demo.DemoTopology;
import io.meshlog.kafka.embedded.Ports;
import io.meshlog.policy.cli.Meshctl;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshctl assess} against the running demo counts exactly the demo's communicating services
 * and paths, as {@link DemoTopology} defines them: every service with its calls, the load
 * generator calling the entry service, and legacy-billing reached without a sidecar. The edge
 * probes' plaintext client (outside the mesh, seen by no SOURCE sidecar) and the retired service
 * (answered 404 NR by the caller's own sidecar, never reached) are not communication.
 */
class DemoAssessIT {
    @Test
    void assessCountsTheDemosCommunicatingServicesAndPaths(@TempDir Path state) {
        var config = new DevConfig(state, Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(),
                Ports.freePort(), true, Duration.ofSeconds(10));
        var expectedServices = new TreeSet<String>(Set.of(DemoTopology.LOAD_GENERATOR));
        var expectedPaths = new TreeSet<String>(Set.of(DemoTopology.LOAD_GENERATOR + "->" + DemoTopology.ENTRY_SERVICE));
        for (var spec : DemoTopology.services(Duration.ofSeconds(10))) {
            expectedServices.add(spec.service());
            spec.calls().forEach(call -> {
                expectedServices.add(call.service());
                expectedPaths.add(spec.service() + "->" + call.service());
            });
        }
        try (var stack = new DevStack(DevMain.Dev.components(config))) {
            stack.start();
            var bootstrap = "127.0.0.1:" + config.kafkaPort();

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
                var json = assess(bootstrap);
                var paths = new TreeSet<String>();
                json.getJsonArray("paths").forEach(p -> paths.add(((JsonObject) p).getString("source") + "->"
                        + ((JsonObject) p).getString("destination")));
                var services = new TreeSet<String>();
                json.getJsonArray("services").forEach(service -> services.add((String) service));
                assertThat(services).isEqualTo(expectedServices);
                assertThat(paths).isEqualTo(expectedPaths);
                assertThat(json.getLong("possiblePaths")).isEqualTo((long) expectedServices.size() * (expectedServices.size() - 1));
                assertThat(json.getString("verdict")).isEqualTo("LIBRARIES_SUFFICE");
                assertThat(json.getJsonObject("cost").getDouble("overheadP50Millis")).as("measured, not zero").isPositive();
            });
        }
    }

    private static JsonObject assess(String bootstrap) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Meshctl.run(new String[] {"assess", "--window", "2m", "-o", "json", "--bootstrap-server", bootstrap},
                Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        return new JsonObject(out.toString());
    }
}
