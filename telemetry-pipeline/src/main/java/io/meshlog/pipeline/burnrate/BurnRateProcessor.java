package io.meshlog.pipeline.burnrate;

import io.meshlog.pipeline.ingest.EventWeight;
import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.pipeline.policy.ServicePolicies;
import io.meshlog.pipeline.policy.TelemetryWithPolicies;
import io.meshlog.pipeline.state.CommitFlushedStore;
import io.meshlog.schemas.v1.AlertSeverity;
import io.meshlog.schemas.v1.AlertState;
import io.meshlog.schemas.v1.BurnRateAlert;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts each request against every SLO of its service, evaluates the multiwindow burn-rate
 * rules and forwards a BurnRateAlert on each FIRING/RESOLVED transition (key
 * {@code slo/<namespace>/<name>/<severity>}). The buckets changed since the last commit are
 * written to {@link BurnRateTopology#BUCKETS_STORE} when the task commits (in the transaction of
 * the events that changed them), and the last state emitted per alert to
 * {@link BurnRateTopology#ALERTS_STORE} as it is emitted, so a restarted or moved task neither
 * repeats nor loses a transition. A stream-time punctuation each minute slides SLOs whose service
 * went quiet.
 */
final class BurnRateProcessor implements Processor<String, TelemetryWithPolicies, String, BurnRateAlert> {
    private static final Logger LOGGER = LoggerFactory.getLogger(BurnRateProcessor.class);
    private static final String DERIVED = "slo-configs";
    private static final StringSerializer KEYS = new StringSerializer();
    /** Bound of the per-instance shortcut; SLO configs are few, their instances change with policies. */
    private static final int INSTANCE_LIMIT = 1024;

    private final PipelineObserver observer;
    private final Map<String, Tracked> tracked = new HashMap<>();
    /** The same SloConfig instance comes with every event of a policy version: skip key and equals. */
    private final Map<SloConfig, Tracked> byInstance = new IdentityHashMap<>();
    private final Set<Tracked> changed = new LinkedHashSet<>();
    private ProcessorContext<String, BurnRateAlert> context;
    private CommitFlushedStore buckets;
    private KeyValueStore<String, String> alerts;

    /** One SLO's windows, the buckets changed since the last commit and the alert states emitted. */
    private static final class Tracked {
        final SloWindows windows;
        final TreeSet<Long> dirtyMinutes = new TreeSet<>();
        final TreeSet<Long> dirtyHours = new TreeSet<>();
        final Map<AlertSeverity, String> alertKeys = new EnumMap<>(AlertSeverity.class);
        final Map<AlertSeverity, AlertState> lastEmitted = new EnumMap<>(AlertSeverity.class);
        long lastDirtyMinute = Long.MIN_VALUE;
        long lastDirtyHour = Long.MIN_VALUE;

        Tracked(SloWindows windows) {
            this.windows = windows;
            for (var severity : AlertSeverity.values()) {
                alertKeys.put(severity, alertKey(windows.config(), severity));
            }
        }

        void touched(SloWindows.Touched touched) {
            if (touched.minute() != null && touched.minute() != lastDirtyMinute) {
                lastDirtyMinute = touched.minute();
                dirtyMinutes.add(touched.minute());
            }
            if (touched.hour() != null && touched.hour() != lastDirtyHour) {
                lastDirtyHour = touched.hour();
                dirtyHours.add(touched.hour());
            }
            dirtyMinutes.addAll(touched.evictedMinutes());
            dirtyHours.addAll(touched.evictedHours());
        }
    }

    BurnRateProcessor(PipelineObserver observer) {
        this.observer = observer;
    }

    @Override
    public void init(ProcessorContext<String, BurnRateAlert> context) {
        this.context = context;
        this.buckets = context.getStateStore(BurnRateTopology.BUCKETS_STORE);
        this.alerts = context.getStateStore(BurnRateTopology.ALERTS_STORE);
        // A revived task initialises the same instance again: only the stores (restored to the
        // last commit) count, never what memory held.
        tracked.clear();
        byInstance.clear();
        changed.clear();
        buckets.beforeCommit(this::persistChanged);
        context.schedule(Duration.ofMinutes(1), PunctuationType.STREAM_TIME, this::slideAll);
    }

    @Override
    public void process(Record<String, TelemetryWithPolicies> record) {
        var telemetry = record.value().telemetry();
        long time = telemetry.getEventTime().toEpochMilli();
        for (var slo : slosOf(record.value().policies())) {
            var t = trackedOf(slo);
            var w = t.windows;
            long previousHead = w.headMinute();
            t.touched(w.add(time, EventWeight.of(telemetry), slo.isBad(telemetry.getStatus(), telemetry.getDurationMicros())));
            changed.add(t);
            if (w.headMinute() != previousHead) {
                publishGauges(w);
            }
            evaluate(t, time);
        }
    }

    private void slideAll(long streamTime) {
        for (var t : tracked.values()) {
            var w = t.windows;
            if (w.headMinute() != Long.MIN_VALUE && w.headMinute() < streamTime / SloWindows.MINUTE) {
                t.touched(w.advanceTo(streamTime));
                changed.add(t);
                publishGauges(w);
                evaluate(t, streamTime);
            }
        }
    }

    private static List<SloConfig> slosOf(ServicePolicies policies) {
        return policies.derived(DERIVED, p -> {
            var configs = new ArrayList<SloConfig>();
            for (var policy : p.slos()) {
                try {
                    configs.add(SloConfig.from(policy));
                } catch (RuntimeException e) {
                    LOGGER.atWarn().addKeyValue("policyName", ServicePolicies.keyOf(policy))
                            .addKeyValue("error", e.getMessage())
                            .log("invalid ServiceLevelObjective ignored");
                }
            }
            return List.copyOf(configs);
        });
    }

    private Tracked trackedOf(SloConfig slo) {
        var known = byInstance.get(slo);
        if (known != null) {
            return known;
        }
        var t = tracked.get(slo.key());
        if (t == null || !t.windows.config().equals(slo)) {
            if (t != null) {
                // The store must hold the old windows' counts before they are read back.
                persist(t);
                changed.remove(t);
                var replaced = t;
                byInstance.values().removeIf(v -> v == replaced);
            }
            t = new Tracked(restore(slo));
            tracked.put(slo.key(), t);
        }
        if (byInstance.size() >= INSTANCE_LIMIT) {
            byInstance.clear();
        }
        byInstance.put(slo, t);
        return t;
    }

    private SloWindows restore(SloConfig slo) {
        var w = new SloWindows(slo);
        try (var stored = buckets.prefixScan(slo.key() + "|", KEYS)) {
            while (stored.hasNext()) {
                var kv = stored.next();
                var counts = ByteBuffer.wrap(kv.value);
                long index = Long.parseLong(kv.key.substring(kv.key.length() - 12));
                if (kv.key.charAt(kv.key.length() - 14) == 'm') {
                    w.restoreMinute(index, counts.getLong(), counts.getLong());
                } else {
                    w.restoreHour(index, counts.getLong(), counts.getLong());
                }
            }
        }
        return w;
    }

    /** At commit: the buckets changed since the last one, into the changelogged store. */
    private void persistChanged() {
        changed.forEach(this::persist);
        changed.clear();
    }

    /** Writes each changed bucket, or deletes it when it has left the ring (it then reads as empty). */
    private void persist(Tracked t) {
        var w = t.windows;
        var slo = w.config();
        for (long index : t.dirtyMinutes) {
            write(bucketKey(slo, 'm', index), w.minuteBucket(index));
        }
        for (long index : t.dirtyHours) {
            write(bucketKey(slo, 'h', index), w.hourBucket(index));
        }
        t.dirtyMinutes.clear();
        t.dirtyHours.clear();
        t.lastDirtyMinute = Long.MIN_VALUE;
        t.lastDirtyHour = Long.MIN_VALUE;
    }

    private void write(String key, long[] counts) {
        if (counts[0] == 0 && counts[1] == 0) {
            buckets.delete(key);
        } else {
            buckets.put(key, ByteBuffer.allocate(16).putLong(counts[0]).putLong(counts[1]).array());
        }
    }

    private static String bucketKey(SloConfig slo, char unit, long index) {
        return slo.key() + "|" + unit + "|" + String.format(Locale.ROOT, "%012d", index);
    }

    private void evaluate(Tracked t, long time) {
        var w = t.windows;
        var slo = w.config();
        w.evaluate().forEach((severity, verdict) -> {
            var key = t.alertKeys.get(severity);
            var state = verdict.firing() ? AlertState.FIRING : AlertState.RESOLVED;
            var last = lastEmitted(t, severity, key);
            if (last == null ? state == AlertState.RESOLVED : last == state) {
                return;
            }
            alerts.put(key, state.name());
            t.lastEmitted.put(severity, state);
            var alert = BurnRateAlert.newBuilder().setSloNamespace(slo.namespace()).setSloName(slo.name())
                    .setService(slo.service()).setSeverity(severity).setState(state)
                    .setLongWindowMillis(verdict.rule().longWindow().toMillis())
                    .setShortWindowMillis(verdict.rule().shortWindow().toMillis())
                    .setLongBurnRate(verdict.longBurnRate()).setShortBurnRate(verdict.shortBurnRate())
                    .setThreshold(verdict.rule().factor()).setTarget(slo.target())
                    .setErrorBudgetRemaining(w.errorBudgetRemaining()).setEventTime(java.time.Instant.ofEpochMilli(time)).build();
            LOGGER.atInfo().addKeyValue("destination", slo.service()).addKeyValue("policyName", slo.key())
                    .addKeyValue("severity", severity).addKeyValue("state", state)
                    .addKeyValue("longBurnRate", verdict.longBurnRate())
                    .addKeyValue("shortBurnRate", verdict.shortBurnRate()).log("burn-rate alert");
            context.forward(new Record<>(key, alert, time));
            observer.onAlert(alert);
        });
    }

    /** The state last emitted for the alert (read from the store once), null when none was. */
    private AlertState lastEmitted(Tracked t, AlertSeverity severity, String key) {
        if (!t.lastEmitted.containsKey(severity)) {
            var stored = alerts.get(key);
            t.lastEmitted.put(severity, stored == null ? null : AlertState.valueOf(stored));
        }
        return t.lastEmitted.get(severity);
    }

    /** {@code slo/<namespace>/<name>/<severity>}, severity in lower case. */
    static String alertKey(SloConfig slo, AlertSeverity severity) {
        return "slo/" + slo.key() + "/" + severity.name().toLowerCase(Locale.ROOT);
    }

    private void publishGauges(SloWindows w) {
        var slo = w.config();
        for (var window : w.windows()) {
            observer.onBurnRate(slo.namespace(), slo.name(), slo.service(), window.toMillis(), w.burnRate(window));
        }
        observer.onErrorBudget(slo.namespace(), slo.name(), slo.service(), w.errorBudgetRemaining());
    }
}
