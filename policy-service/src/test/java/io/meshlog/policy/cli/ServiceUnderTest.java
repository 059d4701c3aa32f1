package io.meshlog.policy.cli;

import io.meshlog.policy.PolicyService;
import io.meshlog.policy.config.PolicyServiceConfig;
import io.meshlog.schemas.topics.TopicCatalogue;
import io.meshlog.testsupport.SharedKafka;

/** A real policy service on the test broker under a topic prefix of its own, and meshctl pointed at it with its token. */
final class ServiceUnderTest implements AutoCloseable {
    static final String TOKEN = "meshctl-token-0123456789";

    final TopicCatalogue topics;
    final PolicyService service;
    final MeshctlRunner meshctl;

    ServiceUnderTest(SharedKafka kafka) {
        var prefix = kafka.uniquePrefix();
        topics = new TopicCatalogue(prefix);
        service = PolicyService.start(PolicyServiceConfig.forTests(kafka.bootstrapServers(), prefix, TOKEN));
        meshctl = new MeshctlRunner().env("MESHCTL_SERVER", url()).env("MESHCTL_TOKEN", TOKEN);
    }

    String url() {
        return "http://127.0.0.1:" + service.port();
    }

    @Override
    public void close() {
        service.close();
    }
}
