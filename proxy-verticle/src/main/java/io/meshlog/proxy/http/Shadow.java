package io.meshlog.proxy.http;

import io.meshlog.schemas.v1.RequestTelemetry;
import java.util.function.Consumer;

/**
 * One mirrored copy in flight and what it got. The primary's telemetry event waits here for the
 * shadow's outcome (at most the shadow timeout, {@link io.meshlog.proxy.config.MirrorLimits}), so
 * one event carries both answers side by side; the primary's response never waits.
 */
public final class Shadow {
    private final long startNanos;
    private boolean finished;
    private int status;
    private int flags;
    private long durationMicros;
    private String bodyHash;
    private String primaryBodyHash;
    private RequestTelemetry waiting;
    private Consumer<RequestTelemetry> publisher;

    Shadow(long startNanos) {
        this.startNanos = startNanos;
    }

    /** The CRC32C of the response body relayed to the caller (null when none was relayed). */
    void primaryBodyHash(String hex) {
        synchronized (this) {
            primaryBodyHash = hex;
        }
    }

    /** Records the shadow's outcome once; publishes the primary's event if it already waits. */
    void finish(int shadowStatus, int shadowFlags, String shadowBodyHash, long nowNanos) {
        RequestTelemetry ready;
        Consumer<RequestTelemetry> publish;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            status = shadowStatus;
            flags = shadowFlags;
            bodyHash = shadowBodyHash;
            durationMicros = Math.max(0, (nowNanos - startNanos) / 1000);
            ready = waiting;
            publish = publisher;
            waiting = null;
        }
        if (ready != null) {
            fill(ready);
            publish.accept(ready);
        }
    }

    boolean finished() {
        synchronized (this) {
            return finished;
        }
    }

    /** Publishes {@code event} with the shadow's outcome: now if it finished, else when it does. */
    void publishWith(RequestTelemetry event, Consumer<RequestTelemetry> publish) {
        synchronized (this) {
            event.setPrimaryBodyHash(primaryBodyHash);
            if (!finished) {
                waiting = event;
                publisher = publish;
                return;
            }
        }
        fill(event);
        publish.accept(event);
    }

    private void fill(RequestTelemetry event) {
        synchronized (this) {
            event.setShadowStatus(status);
            event.setShadowDurationMicros(durationMicros);
            event.setShadowBodyHash(bodyHash);
            event.setShadowResponseFlags(ResponseFlags.list(flags));
        }
    }
}
