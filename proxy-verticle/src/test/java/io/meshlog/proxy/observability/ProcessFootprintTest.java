package io.meshlog.proxy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ProcessFootprintTest {
    @Test
    void residentMemoryIsTheVmRssLineInBytes() {
        var status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 100000 kB\n";

        assertThat(ProcessFootprint.residentBytes(status)).isEqualTo(123_456L * 1024);
        assertThat(ProcessFootprint.residentBytes("Name:\tjava\n")).isZero();
    }

    @Test
    void theProxyExposesItsCpuSecondsAndResidentMemory() {
        var registry = new SimpleMeterRegistry();
        new ProxyMetrics(registry, "orders-v1");
        // Burn a little CPU so the counter cannot be 0 on any JVM that measures it.
        long sum = 0;
        for (int i = 0; i < 5_000_000; i++) {
            sum += Integer.toBinaryString(i).length();
        }

        assertThat(sum).isPositive();
        assertThat(registry.get(ProxyMetrics.PROCESS_CPU).functionCounter().count()).isPositive();
        assertThat(registry.get(ProxyMetrics.PROCESS_RESIDENT_MEMORY).gauge().value())
                .as("this test runs on Linux, where /proc/self/status has VmRSS").isGreaterThan(10_000_000);
    }
}
