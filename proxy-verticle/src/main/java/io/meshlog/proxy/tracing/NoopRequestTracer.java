package io.meshlog.proxy.tracing;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * Makes trace and span ids (or keeps the caller's), propagates them, exports nothing. The sampled
 * flag is propagated as it came; a new trace is marked sampled at a Telemetry policy's percentage
 * (not at all without one), so that proxies further on which do export record the traces the
 * policy asks for.
 */
final class NoopRequestTracer implements RequestTracer {
    @Override
    public RequestSpan start(String name, SpanKind kind, Map<String, String> incomingHeaders, TraceSettings settings) {
        var traceparent = incomingHeaders.get("traceparent");
        if (traceparent != null && traceparent.length() >= 55) {
            var flags = traceparent.substring(53, 55);
            return new IdsOnlySpan(traceparent.substring(3, 35), hex(8), flags.matches("[0-9a-f]{2}") ? flags : "00");
        }
        var percentage = settings.samplingPercentage();
        boolean sampled = percentage != null && ThreadLocalRandom.current().nextDouble(100) < percentage;
        return new IdsOnlySpan(hex(16), hex(8), sampled ? "01" : "00");
    }

    private static String hex(int bytes) {
        var random = ThreadLocalRandom.current();
        var out = new StringBuilder(bytes * 2);
        for (int i = 0; i < bytes; i++) {
            out.append(Character.forDigit((random.nextInt(256) >> 4) & 0xF, 16));
            out.append(Character.forDigit(random.nextInt(16), 16));
        }
        return out.toString();
    }

    private record IdsOnlySpan(String traceId, String spanId, String flags) implements RequestSpan {
        @Override
        public void inject(BiConsumer<String, String> headerSetter) {
            headerSetter.accept("traceparent", "00-" + traceId + "-" + spanId + "-" + flags);
        }

        @Override
        public void end(int status, String responseFlags, Map<String, String> attributes) {}
    }
}
