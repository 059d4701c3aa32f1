package io.meshlog.console.model;

import static io.meshlog.console.ConsoleEvents.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.schemas.v1.ResponseFlag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TailFilterTest {
    private static final Instant T = Instant.parse("2026-12-05T12:00:00Z");
    private final TailEntry ok = TailEntry.of(request("orders-v1", "shop", "inventory", "inventory-1", "v1",
            "127.0.0.1:1", 200, List.of(), 3_000, T));
    private final TailEntry failed = TailEntry.of(request("orders-v1", "shop", "inventory", "inventory-3", "v1",
            "127.0.0.1:3", 503, List.of(ResponseFlag.URX), 45_000, T));

    @Test
    void statusMatchesExactlyOrByClass() {
        assertThat(filter(Map.of("status", "5xx")).matches(failed)).isTrue();
        assertThat(filter(Map.of("status", "5xx")).matches(ok)).isFalse();
        assertThat(filter(Map.of("status", "503")).matches(failed)).isTrue();
        assertThat(filter(Map.of("status", "500")).matches(failed)).isFalse();
    }

    @Test
    void flagMustBeAmongTheRequestsFlags() {
        assertThat(filter(Map.of("flag", "URX")).matches(failed)).isTrue();
        assertThat(filter(Map.of("flag", "URX")).matches(ok)).isFalse();
    }

    @Test
    void minimumLatencyInMilliseconds() {
        assertThat(filter(Map.of("minLatencyMs", "40")).matches(failed)).isTrue();
        assertThat(filter(Map.of("minLatencyMs", "40")).matches(ok)).isFalse();
    }

    @Test
    void routeNamePrefix() {
        assertThat(filter(Map.of("route", "def")).matches(ok)).isTrue();
        assertThat(filter(Map.of("route", "canary")).matches(ok)).isFalse();
    }

    @Test
    void requestPathPrefix() {
        assertThat(filter(Map.of("path", "/inventory/it")).matches(ok)).isTrue();
        assertThat(filter(Map.of("path", "/orders")).matches(ok)).isFalse();
    }

    @Test
    void aRequestReportedWithoutPathNeverMatchesAPathFilter() {
        var noPath = TailEntry.of(io.meshlog.schemas.v1.RequestTelemetry.newBuilder(request("orders-v1", "shop",
                "inventory", "inventory-1", "v1", "127.0.0.1:1", 200, List.of(), 3_000, T)).setPath(null).build());

        assertThat(filter(Map.of("path", "/")).matches(noPath)).isFalse();
        assertThat(TailFilter.ALL.matches(noPath)).isTrue();
    }

    @Test
    void refusesFiltersThatCannotWork() {
        assertThatThrownBy(() -> filter(Map.of("status", "teapot"))).hasMessageContaining("status must be");
        assertThatThrownBy(() -> filter(Map.of("flag", "XX"))).hasMessageContaining("flag must be one of");
        assertThatThrownBy(() -> filter(Map.of("minLatencyMs", "-1"))).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> filter(Map.of("minLatencyMs", "slow"))).hasMessageContaining("a number of milliseconds");
        assertThatThrownBy(() -> filter(Map.of("path", "orders"))).hasMessageContaining("path must be a path prefix starting with '/'");
    }

    @Test
    void theBufferKeepsTheNewestUpToItsCapacity() {
        var buffer = new TailBuffer(2);
        buffer.add(ok);
        buffer.add(failed);
        buffer.add(ok);
        assertThat(buffer.newest(TailFilter.ALL, 10)).containsExactly(ok, failed);
    }

    private static TailFilter filter(Map<String, String> query) {
        return TailFilter.fromQuery(query);
    }
}
