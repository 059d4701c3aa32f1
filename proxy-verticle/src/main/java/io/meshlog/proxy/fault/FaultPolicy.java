package io.meshlog.proxy.fault;

import java.time.Duration;

/**
 * Istio's HTTPFaultInjection of one route.
 *
 * @param delayPercentage share of requests delayed, 0–100
 * @param delay how long they are delayed
 * @param abortPercentage share of requests answered locally with {@code abortStatus}, 0–100
 * @param abortStatus the HTTP status of an aborted request
 */
public record FaultPolicy(double delayPercentage, Duration delay, double abortPercentage, int abortStatus) {
    public static final FaultPolicy NONE = new FaultPolicy(0, Duration.ZERO, 0, 0);

    public FaultPolicy {
        check(delayPercentage, "fault.delay.percentage");
        check(abortPercentage, "fault.abort.percentage");
        if (abortPercentage > 0 && (abortStatus < 200 || abortStatus > 599)) {
            throw new IllegalArgumentException("fault.abort.httpStatus: must be between 200 and 599, but was " + abortStatus);
        }
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("fault.delay.fixedDelay: must not be negative, but was " + delay);
        }
    }

    private static void check(double percentage, String path) {
        if (percentage < 0 || percentage > 100 || Double.isNaN(percentage)) {
            throw new IllegalArgumentException(path + ": must be between 0 and 100, but was " + percentage);
        }
    }
}
