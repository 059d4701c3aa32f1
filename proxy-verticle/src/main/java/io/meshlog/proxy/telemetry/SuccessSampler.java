package io.meshlog.proxy.telemetry;

import io.meshlog.schemas.v1.RequestTelemetry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends every failure, retry and slow request at once and folds plain successes into few events
 * whose {@code weight} says how many requests each stands for ({@link TelemetrySampling}).
 *
 * <p>Successes are folded per group of alike requests (same reporter, source, destination,
 * subset, endpoint, route, method and status), and a destination service's groups all belong to
 * one second of event time. The pipeline's windows (SLO minutes, 10 s edge windows, retry-budget
 * buckets, outlier intervals of whole seconds) are aligned to whole seconds, so each gets exactly
 * the requests it had. A group is sent when its share of {@code successPercent} reaches one
 * event; all of a service's groups are sent when a request of another second arrives for it, when
 * the idle flush finds them from an earlier second (about a second later), and before any event of
 * that service sent alone. So the pipeline sees each success that broke a run of errors before the
 * next error (consecutive-error ejection decides as without sampling), every original request
 * counted before the next retry (retry budgets), and a second's requests before the next second's,
 * whose first request is sent alone at its own time (intervals and windows roll over at the same
 * request as without sampling).
 * The sent event is the group's last request with {@code weight} = the group's count and the byte
 * counts summed; its duration stands for the group's (all below the slow threshold).
 *
 * <p>Threads: {@link #record} runs on every event loop; one lock keeps a service's groups and lone
 * events in the order they came (the critical section is a map update). The idle flush runs on the
 * daemon thread {@code meshlog-telemetry-sampler}.
 */
public final class SuccessSampler implements TelemetrySink {
    private static final long FLUSH_EVERY_MILLIS = 200;
    /** Parts per million of a sent event each success earns; integers, so ten 10 % successes make exactly one. */
    private static final long WHOLE = 1_000_000;

    private final TelemetrySink sink;
    private final long sharePpm;
    private final long slowMicros;
    private final Clock clock;
    private final Map<String, ServiceGroups> byService = new HashMap<>();
    private final ScheduledExecutorService flusher;
    private boolean closed;

    /**
     * A sampler in front of {@code sink}; without {@code flushThread} the caller calls {@link
     * #flushIdle()} itself (tests, or a host with its own timer).
     */
    public SuccessSampler(TelemetrySink sink, TelemetrySampling sampling, Clock clock, boolean flushThread) {
        this.sink = sink;
        this.sharePpm = Math.round(sampling.successPercent() * 10_000);
        this.slowMicros = TimeUnit.NANOSECONDS.toMicros(sampling.slowThreshold().toNanos());
        this.clock = clock;
        this.flusher = flushThread ? Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, "meshlog-telemetry-sampler");
            thread.setDaemon(true);
            return thread;
        }) : null;
        if (flusher != null) {
            flusher.scheduleWithFixedDelay(this::flushIdle, FLUSH_EVERY_MILLIS, FLUSH_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** {@code sink} itself when sampling is off, else a sampler in front of it. */
    public static TelemetrySink of(TelemetrySink sink, TelemetrySampling sampling, Clock clock) {
        return sampling.enabled() ? new SuccessSampler(sink, sampling, clock, true) : sink;
    }

    @Override
    public synchronized void record(RequestTelemetry event) {
        if (closed) {
            sink.record(event); // the sink counts it as dropped
            return;
        }
        var name = event.getDestinationService();
        if (sentAlone(event)) {
            flush(byService.remove(name));
            sink.record(event);
            return;
        }
        long second = Math.floorDiv(event.getEventTime().toEpochMilli(), 1000);
        var service = byService.get(name);
        if (service != null && service.second != second) {
            flush(byService.remove(name));
            service = null;
        }
        if (service == null) {
            // The first request of a second goes alone, at its own time: whatever the pipeline does
            // when a second, an interval or a minute starts happens at the same request as without sampling.
            byService.put(name, new ServiceGroups(second));
            sink.record(event);
            return;
        }
        var group = service.groups.computeIfAbsent(GroupKey.of(event), k -> new Group());
        group.add(event, sharePpm);
        if (group.credit >= WHOLE) {
            group.credit -= WHOLE;
            send(group);
        }
    }

    /**
     * Failures, retries, refused retries and slow requests are never folded; neither is a request
     * whose event carries something counted one by one: a would-have of OBSERVE mode (counted per
     * request by meshctl) or a mirrored copy's answer (compared per request by the pipeline).
     */
    boolean sentAlone(RequestTelemetry event) {
        int status = event.getStatus();
        return status < 200 || status >= 400 || !event.getResponseFlags().isEmpty() || event.getRetry()
                || event.getRetrySuppressed() || event.getAttempt() > 1 || event.getDurationMicros() >= slowMicros
                || !event.getWouldHave().isEmpty() || event.getShadowStatus() != null;
    }

    /** Sends every group whose second has passed; runs on the flush thread. */
    public synchronized void flushIdle() {
        long now = Math.floorDiv(clock.millis(), 1000);
        var services = byService.values().iterator();
        while (services.hasNext()) {
            var service = services.next();
            if (service.second < now) {
                services.remove();
                flush(service);
            }
        }
    }

    private void flush(ServiceGroups service) {
        if (service != null) {
            service.groups.values().forEach(this::send);
        }
    }

    private void send(Group group) {
        if (group.count == 0) {
            return;
        }
        var event = group.last;
        event.setWeight(group.count);
        event.setRequestBytes(group.requestBytes);
        event.setResponseBytes(group.responseBytes);
        group.clear();
        sink.record(event);
    }

    @Override
    public long dropped() {
        return sink.dropped();
    }

    /** Sends what is folded, then closes the sink. */
    @Override
    public void close() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        synchronized (this) {
            if (!closed) {
                closed = true;
                byService.values().forEach(this::flush);
                byService.clear();
            }
        }
        sink.close();
    }

    /** What makes successes alike: every field an aggregation groups or counts by. */
    private record GroupKey(Object reporter, String sourceWorkload, String sourceNamespace, String sourcePrincipal,
            String destinationWorkload, String subset, String endpoint, String route, String method, int status,
            boolean mtls) {
        static GroupKey of(RequestTelemetry e) {
            return new GroupKey(e.getReporter(), e.getSourceWorkload(), e.getSourceNamespace(), e.getSourcePrincipal(),
                    e.getDestinationWorkload(), e.getDestinationSubset(), e.getDestinationEndpoint(), e.getRoute(),
                    e.getMethod(), e.getStatus(), e.getMtls());
        }
    }

    /** One destination service's groups, all of one second of event time. */
    private static final class ServiceGroups {
        final long second;
        final Map<GroupKey, Group> groups = new HashMap<>();

        ServiceGroups(long second) {
            this.second = second;
        }
    }

    /** Successes folded so far. */
    private static final class Group {
        RequestTelemetry last;
        int count;
        long requestBytes;
        long responseBytes;
        long credit;

        void add(RequestTelemetry event, long sharePpm) {
            last = event;
            count++;
            requestBytes += event.getRequestBytes();
            responseBytes += event.getResponseBytes();
            credit += sharePpm;
        }

        void clear() {
            last = null;
            count = 0;
            requestBytes = 0;
            responseBytes = 0;
        }
    }
}
