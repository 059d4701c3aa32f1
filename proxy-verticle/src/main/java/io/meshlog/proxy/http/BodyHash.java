package io.meshlog.proxy.http;

import io.vertx.core.buffer.Buffer;
import java.util.zip.CRC32C;

/**
 * A response body's fingerprint, updated chunk by chunk as the body passes: CRC32C, which the JVM
 * computes with the CPU's instruction. It only tells
 * whether two answers differ; a collision hides one difference in four billion.
 */
final class BodyHash {
    private final CRC32C crc = new CRC32C();

    void update(Buffer chunk) {
        crc.update(chunk.getBytes()); // a copy, paid by mirrored requests only (Buffer's ByteBuf is internal in Vert.x 5)
    }

    /** Eight lowercase hex digits. */
    String hex() {
        return String.format("%08x", crc.getValue());
    }
}
