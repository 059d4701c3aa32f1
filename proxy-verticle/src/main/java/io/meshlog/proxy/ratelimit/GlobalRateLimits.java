package io.meshlog.proxy.ratelimit;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This proxy's shares of the global limits, and the refresher that keeps them balanced: every
 * refresh interval, on its own thread, it publishes each limit's demand through the {@link
 * GlobalRateCounter} and sets the limit's share from everyone's. The thread starts with the first
 * global limit; a proxy without one never starts it.
 */
public final class GlobalRateLimits implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(GlobalRateLimits.class);

    private final GlobalRateCounter counter;
    private final String proxyId;
    private final GlobalRateLimitSettings settings;
    private final Clock clock;
    private final Map<String, GlobalRateLimiter> limiters = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final List<Consumer<GlobalRateLimiter>> listeners = new CopyOnWriteArrayList<>();
    private final boolean refreshInBackground;
    private ScheduledExecutorService refresher;
    private boolean closed;

    /**
     * @param counter where the proxies sharing a limit exchange their demand
     * @param proxyId this proxy's id, its entry in the shared tables
     */
    public GlobalRateLimits(GlobalRateCounter counter, String proxyId, GlobalRateLimitSettings settings, Clock clock) {
        this(counter, proxyId, settings, clock, true);
    }

    /** With {@code refreshInBackground} false, only calls of {@link #refresh()} exchange (unit tests drive time). */
    GlobalRateLimits(GlobalRateCounter counter, String proxyId, GlobalRateLimitSettings settings, Clock clock,
            boolean refreshInBackground) {
        this.refreshInBackground = refreshInBackground;
        this.counter = counter;
        this.proxyId = proxyId;
        this.settings = settings;
        this.clock = clock;
    }

    /** Calls {@code listener} with every limiter made from now on (e.g. to bind its metrics). */
    public void onCreated(Consumer<GlobalRateLimiter> listener) {
        listeners.add(listener);
    }

    /** The limiter of {@code key}, kept while its spec is unchanged; a changed spec starts a new one. */
    public GlobalRateLimiter limiter(String key, GlobalLimitSpec spec) {
        var existing = limiters.get(key);
        if (existing != null && existing.spec().equals(spec)) {
            return existing;
        }
        var made = new GlobalRateLimiter(key, spec, settings, clock);
        limiters.put(key, made);
        listeners.forEach(listener -> listener.accept(made));
        startRefresher();
        return made;
    }

    /** Forgets the limiters whose key is not in {@code keys} (their policy was removed). */
    public void retain(Set<String> keys) {
        limiters.keySet().retainAll(keys);
    }

    /** The live limiters, for {@code /clusters}. */
    public Collection<GlobalRateLimiter> all() {
        return List.copyOf(limiters.values());
    }

    /** One exchange for every limit; the refresher calls it every refresh interval. */
    public void refresh() {
        for (var limiter : limiters.values()) {
            double demand = limiter.measureDemand();
            try {
                limiter.applyDemands(counter.exchange(limiter.key(), proxyId, demand), proxyId, demand);
                if (failing.remove(limiter.key())) {
                    LOGGER.atInfo().addKeyValue("proxyId", proxyId).addKeyValue("policyName", limiter.key())
                            .log("global rate limit counters reachable again");
                }
            } catch (RuntimeException e) {
                limiter.exchangeFailed(e.toString());
                if (failing.add(limiter.key())) {
                    LOGGER.atWarn().addKeyValue("proxyId", proxyId).addKeyValue("policyName", limiter.key())
                            .addKeyValue("failureMode", limiter.spec().failureMode()).addKeyValue("error", e.toString())
                            .log("global rate limit counters unreachable; the failure mode applies while they are");
                }
            }
        }
    }

    private synchronized void startRefresher() {
        if (refresher != null || closed || !refreshInBackground) {
            return;
        }
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, "meshlog-global-ratelimit-" + proxyId);
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, settings.refreshInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again; keep refreshing
            LOGGER.atWarn().addKeyValue("proxyId", proxyId).addKeyValue("error", e.toString())
                    .log("global rate limit refresh failed");
        }
    }

    /** Stops the refresher (a blocked exchange is interrupted) and the counter. */
    @Override
    public synchronized void close() {
        closed = true;
        if (refresher != null) {
            refresher.shutdownNow();
        }
        counter.close();
    }
}
