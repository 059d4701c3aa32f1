package io.meshlog.proxy.tracing;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * The span processor when nothing is exported. Not the SDK's own empty composite: the SDK treats that
 * one as "no processor" and then hands out spans with the invalid all-zero context, so no trace id
 * would be made or propagated and the sampler would never run.
 */
final class DiscardingSpanProcessor implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {}

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
