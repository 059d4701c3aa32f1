package io.meshlog.dev;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code meshlog dev} was asked to run.
 *
 * @param stateDirectory where the broker's data, the CA and logs live; reused across starts
 * @param kafkaPort the broker's client port on 127.0.0.1
 * @param controllerPort the KRaft controller port on 127.0.0.1
 * @param demo whether to start the demo services and load
 */
record DevConfig(Path stateDirectory, int kafkaPort, int controllerPort, boolean demo) {
    DevConfig {
        Objects.requireNonNull(stateDirectory, "stateDirectory");
    }

    Path kafkaDirectory() {
        return stateDirectory.resolve("kafka");
    }
}
