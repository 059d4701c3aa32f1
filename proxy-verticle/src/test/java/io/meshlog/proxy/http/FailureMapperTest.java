package io.meshlog.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.proxy.resilience.AttemptFailure;
import io.meshlog.schemas.v1.ResponseFlag;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailureMapperTest {
    @Test
    void classifiesUpstreamExceptions() {
        assertThat(FailureMapper.classify(new ConnectException("Connection refused"))).isEqualTo(AttemptFailure.CONNECT_FAILURE);
        assertThat(FailureMapper.classify(new ConnectionPoolTooBusyException("busy"))).isEqualTo(AttemptFailure.OVERFLOW);
        assertThat(FailureMapper.classify(new TimeoutException())).isEqualTo(AttemptFailure.TIMEOUT);
        assertThat(FailureMapper.classify(new StreamResetException(7))).isEqualTo(AttemptFailure.REFUSED_STREAM);
        assertThat(FailureMapper.classify(new StreamResetException(8))).isEqualTo(AttemptFailure.RESET);
        assertThat(FailureMapper.classify(new IllegalStateException("closed"))).isEqualTo(AttemptFailure.RESET);
    }

    @Test
    void mapsFailuresToEnvoyStatusesAndFlags() {
        assertThat(FailureMapper.failureOf(AttemptFailure.CONNECT_FAILURE)).satisfies(f -> {
            assertThat(f.status()).isEqualTo(503);
            assertThat(f.flag()).isEqualTo(ResponseFlag.UF);
        });
        assertThat(FailureMapper.failureOf(AttemptFailure.TIMEOUT).status()).isEqualTo(504);
        assertThat(FailureMapper.failureOf(AttemptFailure.TIMEOUT).flag()).isEqualTo(ResponseFlag.UT);
        assertThat(FailureMapper.failureOf(AttemptFailure.OVERFLOW).flag()).isEqualTo(ResponseFlag.UO);
        assertThat(FailureMapper.failureOf(AttemptFailure.NO_HEALTHY_UPSTREAM).flag()).isEqualTo(ResponseFlag.UH);
        assertThat(Failure.NO_ROUTE.status()).isEqualTo(404);
        assertThat(Failure.RATE_LIMITED.status()).isEqualTo(429);
        assertThat(Failure.DENIED.flag()).isEqualTo(ResponseFlag.UAEX);
    }

    @Test
    void rendersFlagsAsIstioLabels() {
        assertThat(ResponseFlags.label(0)).isEqualTo("-");
        int flags = ResponseFlags.of(ResponseFlag.UF) | ResponseFlags.of(ResponseFlag.URX);
        assertThat(ResponseFlags.label(flags)).isEqualTo("UF,URX");
        assertThat(ResponseFlags.list(flags)).containsExactly(ResponseFlag.UF, ResponseFlag.URX);
    }
}
