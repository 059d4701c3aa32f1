package io.meshlog.pipeline.outlier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Envoy's success-rate outlier maths for one interval: among the endpoints with at least
 * {@code requestVolume} requests, if there are at least {@code minimumHosts}, the ones whose
 * success rate (percent) is below {@code mean - stdevFactor × stdev} are outliers. The standard
 * deviation is the population one, as in Envoy.
 */
public final class SuccessRateOutliers {
    private SuccessRateOutliers() {}

    /**
     * The result of one evaluation.
     *
     * @param evaluated whether enough endpoints had enough volume
     * @param mean the mean success rate in percent
     * @param stdev the population standard deviation
     * @param threshold mean - factor × stdev
     * @param outliers endpoints below the threshold, lowest success rate first
     */
    public record Result(boolean evaluated, double mean, double stdev, double threshold,
            List<String> outliers) {}

    /**
     * @param counts per endpoint: {successes, total} in the interval
     */
    public static Result evaluate(Map<String, long[]> counts, int minimumHosts, int requestVolume,
            double stdevFactor) {
        var rates = new ArrayList<Map.Entry<String, Double>>();
        counts.forEach((endpoint, c) -> {
            if (c[1] >= requestVolume) {
                rates.add(Map.entry(endpoint, 100.0 * c[0] / c[1]));
            }
        });
        if (rates.size() < minimumHosts || rates.isEmpty()) {
            return new Result(false, 0, 0, 0, List.of());
        }
        double mean = rates.stream().mapToDouble(Map.Entry::getValue).average().orElse(0);
        double variance = rates.stream().mapToDouble(e -> (e.getValue() - mean) * (e.getValue() - mean))
                .sum() / rates.size();
        double stdev = Math.sqrt(variance);
        double threshold = mean - stdevFactor * stdev;
        var outliers = rates.stream().filter(e -> e.getValue() < threshold)
                .sorted(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
        return new Result(true, mean, stdev, threshold, outliers);
    }

    /**
     * Envoy's failure-percentage detection: among endpoints with at least {@code requestVolume}
     * requests, if there are at least {@code minimumHosts}, those whose failure percentage is at
     * least {@code threshold} are outliers, highest failure percentage first.
     */
    public static List<String> failurePercentage(Map<String, long[]> counts, int minimumHosts,
            int requestVolume, int threshold) {
        var eligible = counts.entrySet().stream().filter(e -> e.getValue()[1] >= requestVolume).toList();
        if (threshold < 0 || eligible.size() < minimumHosts) {
            return List.of();
        }
        return eligible.stream()
                .filter(e -> failurePercent(e.getValue()) >= threshold)
                .sorted(Comparator.comparingDouble((Map.Entry<String, long[]> e) -> -failurePercent(e.getValue()))
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).toList();
    }

    private static double failurePercent(long[] c) {
        return 100.0 * (c[1] - c[0]) / c[1];
    }
}
