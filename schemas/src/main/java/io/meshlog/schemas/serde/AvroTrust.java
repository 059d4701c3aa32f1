package io.meshlog.schemas.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Tells Avro (1.12.2 and later) that meshlog's generated classes may be instantiated when
 * decoding. Without it every decode of a specific record fails with "Forbidden class", unless
 * each JVM is started with {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}.
 */
final class AvroTrust {
    static final String TRUSTED_PACKAGE = "io.meshlog.schemas.v1.";

    private static boolean installed;

    private AvroTrust() {}

    static synchronized void install() {
        if (installed) {
            return;
        }
        var previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(
                ClassSecurityValidator.composite(
                        previous, type -> type.getName().startsWith(TRUSTED_PACKAGE)));
        installed = true;
    }
}
