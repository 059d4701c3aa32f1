package io.meshlog.proxy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TelemetryPathTest {
    @Test
    void keepsThePathOfAnOriginFormUri() {
        assertThat(TelemetryPath.of("/orders/42")).isEqualTo("/orders/42");
    }

    @Test
    void dropsTheQueryString() {
        assertThat(TelemetryPath.of("/login?token=s3cret&x=1")).isEqualTo("/login");
    }

    @Test
    void dropsAFragment() {
        assertThat(TelemetryPath.of("/docs#part?x")).isEqualTo("/docs");
    }

    @Test
    void cutsALongPathTo256Characters() {
        var path = TelemetryPath.of("/" + "a".repeat(1000));

        assertThat(path).hasSize(TelemetryPath.MAX_LENGTH).startsWith("/aaa");
    }

    @Test
    void noUriIsNoPath() {
        assertThat(TelemetryPath.of(null)).isNull();
        assertThat(TelemetryPath.of("")).isNull();
    }
}
