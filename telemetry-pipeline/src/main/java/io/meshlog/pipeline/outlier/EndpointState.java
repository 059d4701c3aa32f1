package io.meshlog.pipeline.outlier;

import java.nio.ByteBuffer;

/**
 * What the pipeline knows of one endpoint of one service: error streaks, the current interval's
 * counts, and its ejection. Mutable, owned by its {@link ServiceOutlierDetector}; stored as a
 * fixed 53-byte record.
 */
final class EndpointState {
    static final int ENCODED_SIZE = 53;

    int consecutive5xx;
    int consecutiveGateway;
    long intervalSuccesses;
    long intervalTotal;
    boolean ejected;
    long ejectedUntil;
    int ejectionCount;
    long unejectedAt;
    long lastSeen;

    byte[] encode() {
        return ByteBuffer.allocate(ENCODED_SIZE)
                .putInt(consecutive5xx).putInt(consecutiveGateway)
                .putLong(intervalSuccesses).putLong(intervalTotal)
                .put((byte) (ejected ? 1 : 0)).putLong(ejectedUntil).putInt(ejectionCount)
                .putLong(unejectedAt).putLong(lastSeen)
                .array();
    }

    static EndpointState decode(byte[] bytes) {
        var in = ByteBuffer.wrap(bytes);
        var s = new EndpointState();
        s.consecutive5xx = in.getInt();
        s.consecutiveGateway = in.getInt();
        s.intervalSuccesses = in.getLong();
        s.intervalTotal = in.getLong();
        s.ejected = in.get() == 1;
        s.ejectedUntil = in.getLong();
        s.ejectionCount = in.getInt();
        s.unejectedAt = in.getLong();
        s.lastSeen = in.getLong();
        return s;
    }
}
