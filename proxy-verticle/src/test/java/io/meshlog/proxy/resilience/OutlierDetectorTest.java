package io.meshlog.proxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.proxy.discovery.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.meshlog.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LocalOutlierDetector detector = new LocalOutlierDetector(clock);

    private static List<EndpointState> endpoints(int count) {
        var list = new ArrayList<EndpointState>();
        for (int i = 0; i < count; i++) {
            list.add(new EndpointState(new Endpoint("orders", "127.0.0.1", 9000 + i, Map.of(), "orders", "")));
        }
        return List.copyOf(list);
    }

    private void fail(List<EndpointState> all, EndpointState endpoint, OutlierSettings settings, int times, int status) {
        for (int i = 0; i < times; i++) {
            detector.record("orders", all, endpoint, settings, status, AttemptFailure.NONE);
        }
    }

    @Test
    void ejectsAfterConsecutive5xxAndReturnsAfterBaseEjectionTime() {
        var all = endpoints(2);
        var bad = all.get(0);
        var settings = OutlierSettings.DEFAULT;
        // When
        fail(all, bad, settings, 4, 500);
        // Then
        assertThat(detector.ejection("orders", bad)).isNull();
        fail(all, bad, settings, 1, 500);
        var ejection = detector.ejection("orders", bad);
        assertThat(ejection).isNotNull();
        assertThat(ejection.reason()).isEqualTo("5 consecutive 5xx");
        assertThat(ejection.side()).isEqualTo(EjectionSource.Side.LOCAL);
        clock.advance(Duration.ofSeconds(29));
        assertThat(detector.ejection("orders", bad)).isNotNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(detector.ejection("orders", bad)).isNull();
    }

    @Test
    void theListenerHearsOfEachEjectionAndReturnOnce() {
        var heard = new ArrayList<String>();
        detector.onChange(new LocalEjectionListener() {
            @Override
            public void ejected(String service, String endpoint, Ejection ejection, Cause cause) {
                heard.add("ejected " + service + " " + endpoint + " " + cause + " until " + ejection.until());
            }

            @Override
            public void returned(String service, String endpoint, Ejection ended) {
                heard.add("returned " + service + " " + endpoint);
            }
        });
        var all = endpoints(2);
        var bad = all.get(0);
        // When
        fail(all, bad, OutlierSettings.DEFAULT, 5, 503);
        clock.advance(Duration.ofSeconds(30));
        detector.ejection("orders", bad);
        detector.ejection("orders", bad);
        // Then
        assertThat(heard).containsExactly(
                "ejected orders 127.0.0.1:9000 CONSECUTIVE_5XX until 2026-01-01T00:00:30Z",
                "returned orders 127.0.0.1:9000");
    }

    @Test
    void aSuccessResetsTheCount() {
        var all = endpoints(2);
        var bad = all.get(0);
        fail(all, bad, OutlierSettings.DEFAULT, 4, 503);
        detector.record("orders", all, bad, OutlierSettings.DEFAULT, 200, AttemptFailure.NONE);
        fail(all, bad, OutlierSettings.DEFAULT, 4, 503);
        assertThat(detector.ejection("orders", bad)).isNull();
    }

    @Test
    void ejectionTimeGrowsWithTimesEjectedUpToTheMaximum() {
        var all = endpoints(2);
        var bad = all.get(0);
        var settings = new OutlierSettings(1, 0, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(70), 50, 0);
        fail(all, bad, settings, 1, 500);
        assertThat(Duration.between(clock.instant(), detector.ejection("orders", bad).until())).isEqualTo(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        fail(all, bad, settings, 1, 500);
        assertThat(Duration.between(clock.instant(), detector.ejection("orders", bad).until())).isEqualTo(Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(60));
        fail(all, bad, settings, 1, 500);
        assertThat(detector.ejection("orders", bad).times()).isEqualTo(3);
        assertThat(Duration.between(clock.instant(), detector.ejection("orders", bad).until())).isEqualTo(Duration.ofSeconds(70));
    }

    @Test
    void multiplierDropsAfterHealthyIntervals() {
        var all = endpoints(2);
        var bad = all.get(0);
        var settings = new OutlierSettings(1, 0, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(300), 50, 0);
        fail(all, bad, settings, 1, 500);
        clock.advance(Duration.ofSeconds(30 + 10));
        fail(all, bad, settings, 1, 500);
        assertThat(detector.ejection("orders", bad).times()).isEqualTo(1);
    }

    @Test
    void gatewayErrorsEjectOnlyWhenConfigured() {
        var all = endpoints(2);
        var bad = all.get(0);
        var settings = new OutlierSettings(0, 3, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(300), 50, 0);
        fail(all, bad, settings, 3, 500);
        assertThat(detector.ejection("orders", bad)).isNull();
        detector.record("orders", all, bad, settings, 0, AttemptFailure.CONNECT_FAILURE);
        fail(all, bad, settings, 2, 502);
        assertThat(detector.ejection("orders", bad).reason()).isEqualTo("3 consecutive gateway errors");
    }

    @Test
    void maxEjectionPercentCapsEjectionsButAllowsAtLeastOne() {
        var all = endpoints(5);
        var settings = OutlierSettings.DEFAULT; // 10% of 5 is 0, but one is always ejectable
        fail(all, all.get(0), settings, 5, 500);
        fail(all, all.get(1), settings, 5, 500);
        assertThat(detector.ejection("orders", all.get(0))).isNotNull();
        assertThat(detector.ejection("orders", all.get(1))).isNull();
    }

    @Test
    void minHealthPercentStopsEjection() {
        var all = endpoints(2);
        var settings = new OutlierSettings(1, 0, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(300), 100, 60);
        fail(all, all.get(0), settings, 1, 500);
        assertThat(detector.ejection("orders", all.get(0))).isNull();
    }

    @Test
    void overflowDoesNotCountAsAnEndpointError() {
        var all = endpoints(2);
        for (int i = 0; i < 10; i++) {
            detector.record("orders", all, all.get(0), OutlierSettings.DEFAULT, 0, AttemptFailure.OVERFLOW);
        }
        assertThat(detector.ejection("orders", all.get(0))).isNull();
    }

    @Test
    void clusterWideEjectionsMergeWithLocalOnes() {
        var all = endpoints(2);
        var cluster = new ClusterEjections(clock);
        var view = new EjectionView(detector, cluster);
        cluster.eject("orders", all.get(1).address(), new Ejection(EjectionSource.Side.CLUSTER, "success rate outlier",
                clock.instant(), clock.instant().plusSeconds(10), 1));
        assertThat(view.ejection("orders", all.get(1)).side()).isEqualTo(EjectionSource.Side.CLUSTER);
        assertThat(view.ejection("orders", all.get(0))).isNull();
        clock.advance(Duration.ofSeconds(10));
        assertThat(view.ejection("orders", all.get(1))).isNull();
    }
}
