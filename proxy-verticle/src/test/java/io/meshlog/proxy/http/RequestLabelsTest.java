package io.meshlog.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestLabelsTest {

    @Test
    void aShortHostResolvesInTheCallersNamespaceAsKubernetesDnsDoes() {
        assertThat(RequestLabels.serviceNamespace("reviews", "shop")).isEqualTo("shop");
        assertThat(RequestLabels.serviceNamespace("reviews.bookinfo", "shop")).isEqualTo("bookinfo");
        assertThat(RequestLabels.serviceNamespace("reviews.bookinfo.svc.cluster.local", "shop")).isEqualTo("bookinfo");
        assertThat(RequestLabels.serviceName("reviews.bookinfo.svc.cluster.local")).isEqualTo("reviews");
    }
}
