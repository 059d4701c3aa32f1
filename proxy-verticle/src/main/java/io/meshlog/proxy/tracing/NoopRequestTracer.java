package io.meshlog.proxy.tracing;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/** Makes trace and span ids (or keeps the caller's), propagates them, exports nothing. */
final class NoopRequestTracer implements RequestTracer {
    @Override
    public RequestSpan start(String name, SpanKind kind, Map<String, String> incomingHeaders) {
        var traceparent = incomingHeaders.get("traceparent");
        String traceId = traceparent != null && traceparent.length() >= 55
                ? traceparent.substring(3, 35) : hex(16);
        return new IdsOnlySpan(traceId, hex(8));
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

    private record IdsOnlySpan(String traceId, String spanId) implements RequestSpan {
        @Override
        public void inject(BiConsumer<String, String> headerSetter) {
            headerSetter.accept("traceparent", "00-" + traceId + "-" + spanId + "-00");
        }

        @Override
        public void end(int status, String responseFlags, Map<String, String> attributes) {}
    }
}
