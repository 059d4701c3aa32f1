package io.meshlog.pipeline.burnrate;

import io.meshlog.pipeline.timeseries.BucketRing;
import io.meshlog.schemas.v1.AlertSeverity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The good/bad request counts of one SLO in event time: per-minute buckets over the longest rule
 * window (three days by default) for burn rates, per-hour buckets over the SLO window for the
 * error budget. A window of {@code n} minutes covers the newest minute seen and the {@code n - 1}
 * before it. Burn rate = bad share over the window / error budget share.
 *
 * <p>Not thread-safe: owned by the stream task of the SLO's service.
 */
public final class SloWindows {
    static final long MINUTE = 60_000;
    static final long HOUR = 3_600_000;

    private final SloConfig config;
    private final List<Long> windowMinutes;
    private final BucketRing minutes;
    private final BucketRing hours;
    /** Per rule (in config order): the index of its long and short window in the minute ring. */
    private final int[] ruleLong;
    private final int[] ruleShort;

    public SloWindows(SloConfig config) {
        this.config = config;
        var windows = new TreeSet<Long>();
        config.rules().forEach(r -> {
            windows.add(r.longWindow().toMinutes());
            windows.add(r.shortWindow().toMinutes());
        });
        this.windowMinutes = List.copyOf(windows);
        int size = Math.toIntExact(windows.last());
        this.minutes = new BucketRing(MINUTE, size, windowMinutes.stream().mapToInt(Math::toIntExact).toArray());
        int hourBuckets = Math.toIntExact(config.window().toHours());
        this.hours = new BucketRing(HOUR, hourBuckets, hourBuckets);
        var rules = config.rules();
        this.ruleLong = new int[rules.size()];
        this.ruleShort = new int[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            ruleLong[i] = windowMinutes.indexOf(rules.get(i).longWindow().toMinutes());
            ruleShort[i] = windowMinutes.indexOf(rules.get(i).shortWindow().toMinutes());
        }
    }

    public SloConfig config() {
        return config;
    }

    /**
     * The buckets an update touched, for the owner's state store.
     *
     * @param minute the minute bucket written, or null
     * @param hour the hour bucket written, or null
     * @param evictedMinutes minute buckets that left the ring and held data
     * @param evictedHours hour buckets that left the ring and held data
     */
    public record Touched(Long minute, Long hour, List<Long> evictedMinutes, List<Long> evictedHours) {}

    /** Counts {@code weight} requests at {@code time}; requests older than the rings are dropped. */
    public Touched add(long time, int weight, boolean bad) {
        var evictedMinutes = evictions(minutes, time);
        var evictedHours = evictions(hours, time);
        boolean inMinutes = minutes.add(time, weight, bad ? weight : 0);
        boolean inHours = hours.add(time, weight, bad ? weight : 0);
        return new Touched(inMinutes ? minutes.bucketOf(time) : null, inHours ? hours.bucketOf(time) : null,
                evictedMinutes, evictedHours);
    }

    /** Slides both rings to {@code time} without counting anything. */
    public Touched advanceTo(long time) {
        var evictedMinutes = evictions(minutes, time);
        var evictedHours = evictions(hours, time);
        minutes.advanceTo(time);
        hours.advanceTo(time);
        return new Touched(null, null, evictedMinutes, evictedHours);
    }

    private static List<Long> evictions(BucketRing ring, long time) {
        long head = ring.head();
        long newHead = ring.bucketOf(time);
        if (head == Long.MIN_VALUE || newHead <= head) {
            return List.of();
        }
        var evicted = new ArrayList<Long>();
        long from = head - ring.size() + 1;
        long to = Math.min(head, newHead - ring.size());
        for (long index = from; index <= to; index++) {
            if (ring.bucketA(index) != 0 || ring.bucketB(index) != 0) {
                evicted.add(index);
            }
        }
        return evicted;
    }

    /** {total, bad} of minute bucket {@code index}. */
    public long[] minuteBucket(long index) {
        return new long[] {minutes.bucketA(index), minutes.bucketB(index)};
    }

    /** {total, bad} of hour bucket {@code index}. */
    public long[] hourBucket(long index) {
        return new long[] {hours.bucketA(index), hours.bucketB(index)};
    }

    /** Puts back a stored minute bucket (restore in ascending order). */
    public void restoreMinute(long index, long total, long bad) {
        minutes.addToBucket(index, total, bad);
    }

    /** Puts back a stored hour bucket (restore in ascending order). */
    public void restoreHour(long index, long total, long bad) {
        hours.addToBucket(index, total, bad);
    }

    /** The newest minute seen, or {@link Long#MIN_VALUE}. */
    public long headMinute() {
        return minutes.head();
    }

    /** The distinct rule windows, shortest first. */
    public List<Duration> windows() {
        return windowMinutes.stream().map(Duration::ofMinutes).toList();
    }

    /** The burn rate over one of the rule windows; 0 without traffic. */
    public double burnRate(Duration window) {
        int index = windowMinutes.indexOf(window.toMinutes());
        if (index < 0) {
            throw new IllegalArgumentException("no rule has a " + window + " window");
        }
        return burnRate(index);
    }

    private double burnRate(int windowIndex) {
        long total = minutes.sumA(windowIndex);
        return total == 0 ? 0 : (double) minutes.sumB(windowIndex) / total / config.errorBudget();
    }

    /** The share of the SLO window's error budget left: 1 untouched, below 0 overspent. */
    public double errorBudgetRemaining() {
        long total = hours.sumA(0);
        return total == 0 ? 1 : 1 - (double) hours.sumB(0) / total / config.errorBudget();
    }

    /**
     * One severity's verdict.
     *
     * @param firing whether any of its rules has both windows above the factor
     * @param rule the first firing rule, or its first rule when none fires
     * @param longBurnRate the rule's long-window burn rate
     * @param shortBurnRate the rule's short-window burn rate
     */
    public record Verdict(boolean firing, BurnRateRule rule, double longBurnRate, double shortBurnRate) {}

    /** The verdict per severity that has rules. */
    public Map<AlertSeverity, Verdict> evaluate() {
        var verdicts = new EnumMap<AlertSeverity, Verdict>(AlertSeverity.class);
        var rules = config.rules();
        for (int i = 0; i < rules.size(); i++) {
            var rule = rules.get(i);
            double longBurn = burnRate(ruleLong[i]);
            double shortBurn = burnRate(ruleShort[i]);
            boolean firing = longBurn > rule.factor() && shortBurn > rule.factor();
            var previous = verdicts.get(rule.severity());
            if (previous == null || (firing && !previous.firing())) {
                verdicts.put(rule.severity(), new Verdict(firing, rule, longBurn, shortBurn));
            }
        }
        return verdicts;
    }
}
