package io.meshlog.proxy.resilience;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This proxy's own outlier detection (Envoy's consecutive-5xx and consecutive-gateway-error
 * detectors): ejects an endpoint after N failures in a row for base time × times ejected (at most
 * the max), never more than maxEjectionPercent of a service (but at least one), and not when it
 * would leave fewer than minHealthPercent healthy. Ejections end by time, checked when read.
 * Each ejection and each return is told to the {@link LocalEjectionListener} (the mesh reports them
 * on the decisions topic, for the console).
 */
public final class LocalOutlierDetector implements EjectionSource {
    private static final Logger LOGGER = LoggerFactory.getLogger(LocalOutlierDetector.class);

    private final Clock clock;
    private volatile LocalEjectionListener listener = LocalEjectionListener.NONE;

    public LocalOutlierDetector(Clock clock) {
        this.clock = clock;
    }

    /** Who hears of ejections and returns from now on (one listener; the last set wins). */
    public void onChange(LocalEjectionListener listener) {
        this.listener = listener == null ? LocalEjectionListener.NONE : listener;
    }

    @Override
    public Ejection ejection(String service, EndpointState endpoint) {
        var ejection = endpoint.outlier.ejection;
        if (ejection == null) {
            return null;
        }
        return ejection.until().toEpochMilli() > clock.millis() ? ejection : expire(service, endpoint, ejection);
    }

    private Ejection expire(String service, EndpointState endpoint, Ejection ejection) {
        var tracker = endpoint.outlier;
        boolean ended = false;
        synchronized (tracker) {
            if (tracker.ejection == ejection) {
                tracker.ejection = null;
                tracker.lastEjectionEndMillis = ejection.until().toEpochMilli();
                ended = true;
            }
        }
        if (ended) { // once, by the thread that cleared it
            listener.returned(service, endpoint.address(), ejection);
        }
        return null;
    }

    /**
     * Records the result of one try of {@code endpoint}, one of {@code all} endpoints of {@code service}.
     *
     * @param status the upstream status, 0 when none
     * @param failure why there was no status, {@link AttemptFailure#NONE} when there was
     */
    public void record(String service, List<EndpointState> all, EndpointState endpoint, OutlierSettings settings,
            int status, AttemptFailure failure) {
        boolean gatewayError = status == 502 || status == 503 || status == 504
                || failure == AttemptFailure.CONNECT_FAILURE || failure == AttemptFailure.TIMEOUT;
        boolean serverError = status >= 500 || (failure != AttemptFailure.NONE && failure != AttemptFailure.OVERFLOW
                && failure != AttemptFailure.NO_HEALTHY_UPSTREAM);
        var tracker = endpoint.outlier;
        String reason = null;
        if (!serverError && tracker.consecutive5xx == 0 && tracker.consecutiveGateway == 0) {
            return; // the common case takes no lock: event loops reporting successes never contend
        }
        var cause = LocalEjectionListener.Cause.CONSECUTIVE_5XX;
        synchronized (tracker) {
            if (!serverError) {
                tracker.consecutive5xx = 0;
                tracker.consecutiveGateway = 0;
                return;
            }
            tracker.consecutive5xx++;
            tracker.consecutiveGateway = gatewayError ? tracker.consecutiveGateway + 1 : 0;
            if (settings.consecutive5xxErrors() > 0 && tracker.consecutive5xx >= settings.consecutive5xxErrors()) {
                reason = tracker.consecutive5xx + " consecutive 5xx";
            } else if (settings.consecutiveGatewayErrors() > 0 && tracker.consecutiveGateway >= settings.consecutiveGatewayErrors()) {
                reason = tracker.consecutiveGateway + " consecutive gateway errors";
                cause = LocalEjectionListener.Cause.CONSECUTIVE_GATEWAY_ERRORS;
            }
        }
        if (reason != null && ejection(service, endpoint) == null && mayEject(service, all, settings)) {
            eject(service, endpoint, settings, reason, cause);
        }
    }

    private boolean mayEject(String service, List<EndpointState> all, OutlierSettings settings) {
        int ejected = 0;
        for (int i = 0; i < all.size(); i++) {
            if (ejection(service, all.get(i)) != null) {
                ejected++;
            }
        }
        int total = all.size();
        int maxEjectable = Math.max(1, total * settings.maxEjectionPercent() / 100);
        boolean healthyEnough = (total - ejected - 1) * 100 >= settings.minHealthPercent() * total;
        return ejected < maxEjectable && healthyEnough;
    }

    private void eject(String service, EndpointState endpoint, OutlierSettings settings, String reason,
            LocalEjectionListener.Cause cause) {
        var tracker = endpoint.outlier;
        long now = clock.millis();
        Ejection ejection;
        synchronized (tracker) {
            if (tracker.lastEjectionEndMillis > 0) {
                long healthyIntervals = (now - tracker.lastEjectionEndMillis) / settings.interval().toMillis();
                tracker.timesEjected = (int) Math.max(0, tracker.timesEjected - healthyIntervals);
            }
            tracker.timesEjected++;
            long base = settings.baseEjectionTime().toMillis();
            long duration = Math.min(base * tracker.timesEjected, Math.max(base, settings.maxEjectionTime().toMillis()));
            ejection = new Ejection(Side.LOCAL, reason, Instant.ofEpochMilli(now), Instant.ofEpochMilli(now + duration),
                    tracker.timesEjected);
            tracker.ejection = ejection;
            tracker.consecutive5xx = 0;
            tracker.consecutiveGateway = 0;
        }
        LOGGER.atInfo().setMessage("endpoint ejected").addKeyValue("service", service)
                .addKeyValue("endpoint", endpoint.address()).addKeyValue("reason", reason)
                .addKeyValue("until", ejection.until()).addKeyValue("times", ejection.times()).log();
        listener.ejected(service, endpoint.address(), ejection, cause);
    }
}
