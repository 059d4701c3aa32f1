package io.meshlog.console.api;

import static io.meshlog.console.ConsoleEvents.ack;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.console.model.MeshModel;
import io.meshlog.console.model.TimeWindow;
import io.meshlog.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphCacheTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T02:00:00Z"));
    private final MeshModel model = new MeshModel(clock);
    private final GraphCache cache = new GraphCache(model, clock);

    @Test
    void theSameVersionIsAnsweredFromTheCache() {
        var first = cache.graph(null, TimeWindow.FIVE_MINUTES);

        assertThat(cache.graph(null, TimeWindow.FIVE_MINUTES)).isSameAs(first);
    }

    @Test
    void aNewModelVersionIsBuiltAnew() {
        var first = cache.graph(null, TimeWindow.FIVE_MINUTES);

        model.configAck("orders-v1", ack("orders-v1", "orders-v1", "shop", Map.of()));

        var second = cache.graph(null, TimeWindow.FIVE_MINUTES);
        assertThat(second).isNotSameAs(first);
        assertThat(second.toJsonObject().getLong("version")).isEqualTo(model.version());
    }

    @Test
    void aGraphOlderThanASecondIsBuiltAnewThoughNothingChanged() {
        var first = cache.graph(null, TimeWindow.FIVE_MINUTES);

        clock.advance(Duration.ofMillis(GraphCache.MAX_AGE_MILLIS));

        assertThat(cache.graph(null, TimeWindow.FIVE_MINUTES)).isNotSameAs(first);
    }

    @Test
    void eachNamespaceAndWindowHasItsOwnEntry() {
        var all = cache.graph(null, TimeWindow.FIVE_MINUTES);

        assertThat(cache.graph("shop", TimeWindow.FIVE_MINUTES)).isNotSameAs(all);
        assertThat(cache.graph(null, TimeWindow.ONE_HOUR)).isNotSameAs(all);
        assertThat(cache.graph(null, TimeWindow.FIVE_MINUTES)).isSameAs(all);
    }
}
