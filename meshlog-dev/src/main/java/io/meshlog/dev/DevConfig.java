package io.meshlog.dev;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code meshlog dev} was asked to run.
 *
 * @param stateDirectory where the broker's data, the CA and logs live; reused across starts
 * @param kafkaPort the broker's client port on 127.0.0.1
 * @param controllerPort the KRaft controller port on 127.0.0.1
 * @param policyPort the policy API's port on 127.0.0.1
 * @param pipelineMetricsPort the pipeline's Prometheus port on 127.0.0.1
 * @param consolePort the web console's port on 127.0.0.1
 * @param demo whether to start the demo services and load
 * @param demoFlakyAfter when the demo's third inventory instance starts failing
 * @param demoHealthyCanary whether the demo's orders v2 answers without its failures (its Canary
 *     is then promoted step by step instead of rolled back)
 */
record DevConfig(Path stateDirectory, int kafkaPort, int controllerPort, int policyPort,
        int pipelineMetricsPort, int consolePort, boolean demo, java.time.Duration demoFlakyAfter,
        boolean demoHealthyCanary) {
    /** When the demo's third inventory instance starts failing, by default. */
    static final java.time.Duration DEFAULT_DEMO_FLAKY_AFTER = java.time.Duration.ofSeconds(60);

    static final int DEFAULT_POLICY_PORT = 8081;
    static final int DEFAULT_PIPELINE_METRICS_PORT = 9464;
    static final int DEFAULT_CONSOLE_PORT = 8090;

    DevConfig {
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        demoFlakyAfter = demoFlakyAfter == null ? DEFAULT_DEMO_FLAKY_AFTER : demoFlakyAfter;
    }

    /** A config whose demo keeps orders v2 failing (the Canary rolls it back). */
    DevConfig(Path stateDirectory, int kafkaPort, int controllerPort, int policyPort, int pipelineMetricsPort,
            int consolePort, boolean demo, java.time.Duration demoFlakyAfter) {
        this(stateDirectory, kafkaPort, controllerPort, policyPort, pipelineMetricsPort, consolePort, demo,
                demoFlakyAfter, false);
    }

    Path kafkaDirectory() {
        return stateDirectory.resolve("kafka");
    }

    Path caDirectory() {
        return stateDirectory.resolve("ca");
    }

    Path pipelineDirectory() {
        return stateDirectory.resolve("pipeline");
    }

    Path policyTokenFile() {
        return stateDirectory.resolve("policy-token");
    }
}
