package io.meshlog.pipeline.outlier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.pipeline.config.ConfigException;
import io.meshlog.pipeline.outlier.ServiceOutlierDetector.Outcome;
import io.meshlog.schemas.v1.EjectionReason;
import io.meshlog.schemas.v1.OutlierDetection;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ServiceOutlierDetectorTest {
    @Test
    void ejectionTimeIsBaseTimesCountCappedByMaxEjectionTime() {
        var config = OutlierDetectionConfig.DEFAULTS;
        assertThat(IntStream.rangeClosed(1, 12).mapToObj(config::ejectionTime).map(Duration::toSeconds))
                .containsExactly(30L, 60L, 90L, 120L, 150L, 180L, 210L, 240L, 270L, 300L, 300L, 300L);
        var baseAboveMax = OutlierDetectionConfig.from(OutlierDetection.newBuilder()
                .setBaseEjectionTime(60_000L).setMaxEjectionTime(10_000L).build());
        assertThat(baseAboveMax.ejectionTime(3)).as("Envoy: the base wins over a smaller max")
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void gatewayErrorsEjectFirstWhenTheirThresholdIsLower() {
        var config = OutlierDetectionConfig.from(OutlierDetection.newBuilder().setConsecutiveGatewayErrors(2).build());
        var detector = new ServiceOutlierDetector("orders");
        assertThat(detector.onResult("e1", Outcome.of(502), 1, config)).isEmpty();
        var changes = detector.onResult("e1", Outcome.of(0), 2, config);
        assertThat(changes).singleElement().extracting(EjectionChange::reason)
                .isEqualTo(EjectionReason.CONSECUTIVE_GATEWAY_ERRORS);
    }

    @Test
    void aSuccessBreaksTheStreak() {
        var config = OutlierDetectionConfig.DEFAULTS;
        var detector = new ServiceOutlierDetector("orders");
        for (int i = 0; i < 4; i++) {
            detector.onResult("e1", Outcome.SERVER_ERROR, i, config);
        }
        detector.onResult("e1", Outcome.SUCCESS, 5, config);
        for (int i = 0; i < 4; i++) {
            assertThat(detector.onResult("e1", Outcome.SERVER_ERROR, 6 + i, config)).isEmpty();
        }
        assertThat(detector.onResult("e1", Outcome.SERVER_ERROR, 10, config)).hasSize(1);
    }

    @Test
    void minHealthPercentStopsEjectionsThatWouldLeaveTooFewHealthy() {
        var config = OutlierDetectionConfig.from(OutlierDetection.newBuilder().setConsecutive5xxErrors(1)
                .setMaxEjectionPercent(100).setMinHealthPercent(50).build());
        var detector = new ServiceOutlierDetector("orders");
        detector.onResult("e1", Outcome.SUCCESS, 1, config);
        detector.onResult("e2", Outcome.SUCCESS, 1, config);
        detector.onResult("e3", Outcome.SUCCESS, 1, config);
        detector.onResult("e4", Outcome.SUCCESS, 1, config);
        assertThat(detector.onResult("e1", Outcome.SERVER_ERROR, 2, config)).hasSize(1);
        assertThat(detector.onResult("e2", Outcome.SERVER_ERROR, 3, config)).as("2 of 4 stay healthy").hasSize(1);
        assertThat(detector.onResult("e3", Outcome.SERVER_ERROR, 4, config)).as("1 of 4 would be 25 %").isEmpty();
    }

    @Test
    void invalidSettingsNameTheField() {
        assertThatThrownBy(() -> OutlierDetectionConfig.from(OutlierDetection.newBuilder()
                .setMaxEjectionPercent(150).build()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("outlierDetection.maxEjectionPercent")
                .hasMessageContaining("150");
    }
}
