package io.meshlog.policy;

import io.meshlog.policy.config.ConfigException;
import io.meshlog.policy.config.PolicyServiceConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java io.meshlog.policy.PolicyServiceMain [config.yaml]}: runs the policy service until stopped. */
public final class PolicyServiceMain {
    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyServiceMain.class);

    private PolicyServiceMain() {}

    public static void main(String[] args) throws InterruptedException {
        try {
            var config = PolicyServiceConfigLoader.load(args.length > 0 ? Path.of(args[0]) : null, System.getenv());
            var service = PolicyService.start(config);
            var stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                stopped.countDown();
            }, "meshlog-policy-shutdown"));
            stopped.await();
        } catch (ConfigException e) {
            LOGGER.atError().addKeyValue("error", e.getMessage()).log("invalid configuration");
            System.exit(2);
        }
    }
}
