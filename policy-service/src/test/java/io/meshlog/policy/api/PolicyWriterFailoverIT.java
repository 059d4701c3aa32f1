package io.meshlog.policy.api;

import static io.meshlog.policy.api.PolicyApiIT.destinationRule;
import static io.meshlog.policy.api.PolicyApiIT.subsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.policy.PolicyService;
import io.meshlog.policy.config.PolicyServiceConfig;
import io.meshlog.testsupport.KafkaBrokerExtension;
import io.meshlog.testsupport.SharedKafka;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two policy-service instances on one mesh at once. Every instance serves writes; the write lock is
 * the shared transactional id, so an instance that another one fenced takes it back and checks the
 * change again against the log: no conflicting generations, nothing lost, nothing applied twice,
 * also when the instance that was writing is killed with SIGKILL in the middle of a stream.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PolicyWriterFailoverIT {
    private static final String TOKEN = "failover-token-0123456789";
    private static final String NS = "/apis/meshlog.io/v1/namespaces/";

    @Test
    void aFencedInstanceTakesTheLockBackAndWritesTheNextGenerationNeverTheSameOneTwice(SharedKafka kafka) {
        var prefix = kafka.uniquePrefix();
        try (var a = PolicyService.start(PolicyServiceConfig.forTests(kafka.bootstrapServers(), prefix, TOKEN));
                var b = PolicyService.start(PolicyServiceConfig.forTests(kafka.bootstrapServers(), prefix, TOKEN))) {
            var viaA = new Http(a.port());
            var viaB = new Http(b.port());
            var path = NS + "ha/destinationrules/cart";

            assertThat(viaA.put(path, destinationRule("cart", "ha", "", subsets("v1")), TOKEN).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(20)).until(() -> viaB.get(path).status() == 200);
            var second = viaB.put(path, destinationRule("cart", "ha", "  generation: 1", subsets("v1", "v2")), TOKEN);
            assertThat(second.status()).as(second.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> viaA.get(path).json().getJsonObject("metadata").getLong("generation") == 2);

            var third = viaA.put(path, destinationRule("cart", "ha", "  generation: 2", subsets("v2")), TOKEN);
            var stale = viaB.put(path, destinationRule("cart", "ha", "  generation: 2", subsets("v3")), TOKEN);

            assertThat(third.status()).as(third.body()).isEqualTo(200);
            assertThat(third.json().getLong("generation")).isEqualTo(3);
            assertThat(stale.status()).as("checked against the log after taking the lock back: " + stale.body())
                    .isEqualTo(409);
            assertThat(generations(viaB, path)).containsExactly(1L, 2L, 3L);
            assertThat(viaA.get("/metrics").body()).as("A took the lock twice: first write, and after B fenced it")
                    .contains("meshlog_policy_writer_takeovers_total 2.0");
        }
    }

    @Test
    void killingTheWritingInstanceMidStreamLosesNoAcknowledgedApplyAndAppliesNoneTwice(SharedKafka kafka)
            throws Exception {
        var prefix = kafka.uniquePrefix();
        int port = freePort();
        var child = startChild(kafka, prefix, port);
        try (var b = PolicyService.start(PolicyServiceConfig.forTests(kafka.bootstrapServers(), prefix, TOKEN))) {
            var viaA = new Http(port);
            var viaB = new Http(b.port());
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> viaA.get("/health").status() == 200);

            int total = 30;
            var acknowledged = new ArrayList<Integer>();
            Http target = viaA;
            for (int i = 0; i < total; i++) {
                if (i == 10) {
                    child.destroyForcibly(); // SIGKILL, possibly between a commit and its answer
                }
                var path = NS + "stream/destinationrules/svc-" + i;
                var doc = destinationRule("svc-" + i, "stream", "", subsets("v1"));
                if (target == viaA && !succeeds(viaA, path, doc)) {
                    target = viaB;
                }
                if (target == viaB) {
                    // Writes resume on the surviving instance within 10 s of the writer's death.
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                            .until(() -> succeeds(viaB, path, doc));
                }
                acknowledged.add(i);
            }

            assertThat(acknowledged).hasSize(total);
            for (int i : acknowledged) {
                var path = NS + "stream/destinationrules/svc-" + i;
                assertThat(viaB.get(path).status()).as("svc-%d in force", i).isEqualTo(200);
                assertThat(generations(viaB, path)).as("svc-%d applied once", i).containsExactly(1L);
            }
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    private static boolean succeeds(Http http, String path, String doc) {
        try {
            int status = http.put(path, doc, TOKEN).status();
            return status == 200 || status == 201;
        } catch (RuntimeException e) {
            return false; // refused or reset: the instance is gone
        }
    }

    private static List<Long> generations(Http http, String path) {
        var items = http.get(path + "/history").json().getJsonArray("items");
        var out = new ArrayList<Long>();
        for (int i = 0; i < items.size(); i++) {
            out.add(items.getJsonObject(i).getLong("generation"));
        }
        return out;
    }

    private static Process startChild(SharedKafka kafka, String prefix, int port) throws IOException {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.meshlog.policy.PolicyServiceMain");
        var env = builder.environment();
        env.put("MESHLOG_HTTP_HOST", "127.0.0.1");
        env.put("MESHLOG_HTTP_PORT", String.valueOf(port));
        env.put("MESHLOG_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("MESHLOG_TOPIC_PREFIX", prefix);
        env.put("MESHLOG_WRITER_TOKEN", TOKEN);
        var log = new File("target/policy-writer-child-" + port + ".log");
        return builder.redirectErrorStream(true).redirectOutput(log).start();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
