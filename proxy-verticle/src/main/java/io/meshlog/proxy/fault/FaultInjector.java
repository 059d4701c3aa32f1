package io.meshlog.proxy.fault;

import java.util.function.DoubleSupplier;

/** Decides per request whether a route's fault applies; the caller delays or aborts. */
public final class FaultInjector {
    private final DoubleSupplier random;

    /** @param random a number in {@code [0, 100)} per call */
    public FaultInjector(DoubleSupplier random) {
        this.random = random;
    }

    /** Whether this request is aborted with {@link FaultPolicy#abortStatus()} (flag FI). */
    public boolean abort(FaultPolicy fault) {
        return fault.abortPercentage() > 0 && random.getAsDouble() < fault.abortPercentage();
    }

    /** Whether this request waits {@link FaultPolicy#delay()} first (flag DI). */
    public boolean delay(FaultPolicy fault) {
        return fault.delayPercentage() > 0 && random.getAsDouble() < fault.delayPercentage();
    }
}
