package io.meshlog.proxy.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.schemas.v1.Reporter;
import io.meshlog.schemas.v1.RequestTelemetry;
import io.meshlog.schemas.v1.WouldHave;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReporterFilterTest {
    @Test
    void passesTheChosenReportersAndEveryWouldHaveWhoeverReportedIt() {
        var passed = new ArrayList<RequestTelemetry>();
        var filter = ReporterFilter.of(passed::add, Set.of(Reporter.SOURCE));

        filter.record(event(Reporter.SOURCE, List.of()));
        filter.record(event(Reporter.DESTINATION, List.of()));
        filter.record(event(Reporter.DESTINATION, List.of(WouldHave.DENY)));

        assertThat(passed).extracting(RequestTelemetry::getReporter).containsExactly(Reporter.SOURCE, Reporter.DESTINATION);
        assertThat(passed.get(1).getWouldHave()).containsExactly(WouldHave.DENY);
    }

    private static RequestTelemetry event(Reporter reporter, List<WouldHave> wouldHave) {
        return RequestTelemetry.newBuilder().setTraceId("t").setSpanId("s").setRequestId("r").setProxyId("p")
                .setReporter(reporter).setSourceWorkload("w").setSourceNamespace("shop").setDestinationService("orders")
                .setMethod("GET").setStatus(200).setDurationMicros(1).setEventTime(Instant.EPOCH)
                .setObserve(!wouldHave.isEmpty()).setWouldHave(wouldHave).build();
    }
}
