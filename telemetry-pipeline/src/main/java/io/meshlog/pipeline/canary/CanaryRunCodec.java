package io.meshlog.pipeline.canary;

import io.meshlog.schemas.serde.AvroSerde;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.CanaryStatus;
import io.meshlog.schemas.v1.PolicyEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/**
 * A {@link CanaryRun} in the changelogged store: the Canary's PolicyEvent and the status as Avro
 * single-object records, then the pending and last seen route generations, the serving proxies,
 * both subsets' step metrics and the time of the last status.
 */
final class CanaryRunCodec {
    private static final byte VERSION = 1;

    private final AvroSerde<PolicyEvent> events = MeshSerdes.policyEvent();
    private final AvroSerde<CanaryStatus> statuses = MeshSerdes.canaryStatus();

    byte[] encode(CanaryRun run) {
        var event = events.serialize("canary-runs", run.canaryEvent);
        var status = statuses.serialize("canary-runs", run.status);
        var proxies = run.serving.stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toList();
        int size = 1 + 2 * Integer.BYTES + event.length + status.length + 3 * Long.BYTES + Integer.BYTES
                + proxies.stream().mapToInt(p -> Integer.BYTES + p.length).sum()
                + run.canary.encodedSizeBound() + run.stable.encodedSizeBound();
        var out = ByteBuffer.allocate(size).put(VERSION);
        out.putInt(event.length).put(event).putInt(status.length).put(status);
        out.putLong(run.requestedRoute).putLong(run.lastRouteSeen).putLong(run.lastStatusAt);
        out.putInt(proxies.size());
        proxies.forEach(p -> out.putInt(p.length).put(p));
        run.canary.encode(out);
        run.stable.encode(out);
        var bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    CanaryRun decode(byte[] data) {
        var in = ByteBuffer.wrap(data);
        var version = in.get();
        if (version != VERSION) {
            throw new IllegalStateException("unknown canary run encoding " + version);
        }
        var event = events.deserialize("canary-runs", bytes(in));
        var status = statuses.deserialize("canary-runs", bytes(in));
        long requested = in.getLong();
        long lastSeen = in.getLong();
        long lastStatusAt = in.getLong();
        var serving = new TreeSet<String>();
        int count = in.getInt();
        for (int i = 0; i < count; i++) {
            serving.add(new String(bytes(in), StandardCharsets.UTF_8));
        }
        var canary = StepMetrics.decode(in);
        var stable = StepMetrics.decode(in);
        return new CanaryRun(event, status, requested, lastSeen, serving, canary, stable, lastStatusAt);
    }

    private static byte[] bytes(ByteBuffer in) {
        var bytes = new byte[in.getInt()];
        in.get(bytes);
        return bytes;
    }
}
