package io.meshlog.pipeline.burnrate;

import io.meshlog.pipeline.export.PipelineObserver;
import io.meshlog.pipeline.policy.ServicePolicies;
import io.meshlog.pipeline.policy.TelemetryWithPolicies;
import io.meshlog.schemas.v1.AlertSeverity;
import io.meshlog.schemas.v1.AlertState;
import io.meshlog.schemas.v1.BurnRateAlert;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * {@code slo/<namespace>/<name>/<severity>}). Buckets are written through to
 * {@link BurnRateTopology#BUCKETS_STORE} and the last state emitted per alert to
 * {@link BurnRateTopology#ALERTS_STORE}, so a restarted or moved task neither repeats nor loses a
 * transition. A stream-time punctuation each minute slides SLOs whose service went quiet.
 */
final class BurnRateProcessor implements Processor<String, TelemetryWithPolicies, String, BurnRateAlert> {
    private static final Logger LOGGER = LoggerFactory.getLogger(BurnRateProcessor.class);
    private static final String DERIVED = "slo-configs";
    private static final StringSerializer KEYS = new StringSerializer();

    private final PipelineObserver observer;
    private final Map<String, SloWindows> windows = new HashMap<>();
    private ProcessorContext<String, BurnRateAlert> context;
    private KeyValueStore<String, byte[]> buckets;
    private KeyValueStore<String, String> alerts;

    BurnRateProcessor(PipelineObserver observer) {
        this.observer = observer;
    }

    @Override
    public void init(ProcessorContext<String, BurnRateAlert> context) {
        this.context = context;
        this.buckets = context.getStateStore(BurnRateTopology.BUCKETS_STORE);
        this.alerts = context.getStateStore(BurnRateTopology.ALERTS_STORE);
        context.schedule(Duration.ofMinutes(1), PunctuationType.STREAM_TIME, this::slideAll);
    }

    @Override
    public void process(Record<String, TelemetryWithPolicies> record) {
        var telemetry = record.value().telemetry();
        for (var slo : slosOf(record.value().policies())) {
            var w = windowsOf(slo);
            long previousHead = w.headMinute();
            var touched = w.add(telemetry.getEventTime().toEpochMilli(),
                    slo.isBad(telemetry.getStatus(), telemetry.getDurationMicros()));
            persist(w, touched);
            if (w.headMinute() != previousHead) {
                publishGauges(w);
            }
            evaluate(w, telemetry.getEventTime().toEpochMilli());
        }
    }

    private void slideAll(long streamTime) {
        for (var w : windows.values()) {
            if (w.headMinute() != Long.MIN_VALUE && w.headMinute() < streamTime / SloWindows.MINUTE) {
                persist(w, w.advanceTo(streamTime));
                publishGauges(w);
                evaluate(w, streamTime);
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

    private SloWindows windowsOf(SloConfig slo) {
        var w = windows.get(slo.key());
        if (w != null && w.config().equals(slo)) {
            return w;
        }
        w = new SloWindows(slo);
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
        windows.put(slo.key(), w);
        return w;
    }

    private void persist(SloWindows w, SloWindows.Touched touched) {
        var slo = w.config();
        if (touched.minute() != null) {
            buckets.put(bucketKey(slo, 'm', touched.minute()), encode(w.minuteBucket(touched.minute())));
        }
        if (touched.hour() != null) {
            buckets.put(bucketKey(slo, 'h', touched.hour()), encode(w.hourBucket(touched.hour())));
        }
        touched.evictedMinutes().forEach(i -> buckets.delete(bucketKey(slo, 'm', i)));
        touched.evictedHours().forEach(i -> buckets.delete(bucketKey(slo, 'h', i)));
    }

    private static String bucketKey(SloConfig slo, char unit, long index) {
        return slo.key() + "|" + unit + "|" + String.format(Locale.ROOT, "%012d", index);
    }

    private static byte[] encode(long[] counts) {
        return ByteBuffer.allocate(16).putLong(counts[0]).putLong(counts[1]).array();
    }

    private void evaluate(SloWindows w, long time) {
        var slo = w.config();
        w.evaluate().forEach((severity, verdict) -> {
            var key = alertKey(slo, severity);
            var state = verdict.firing() ? AlertState.FIRING : AlertState.RESOLVED;
            var last = alerts.get(key);
            if (last == null ? state == AlertState.RESOLVED : last.equals(state.name())) {
                return;
            }
            alerts.put(key, state.name());
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
