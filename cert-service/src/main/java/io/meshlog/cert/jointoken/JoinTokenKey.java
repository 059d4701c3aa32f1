package io.meshlog.cert.jointoken;

import io.meshlog.cert.keystore.SecretFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The HMAC-SHA256 key that signs join tokens. Lives only in cert-service (file mode 0600). */
public final class JoinTokenKey {
    private static final String HMAC = "HmacSHA256";
    private final byte[] key;

    private JoinTokenKey(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("join token key must be at least 32 bytes");
        }
        this.key = key.clone();
    }

    /** A fresh random key (tests). */
    public static JoinTokenKey random() {
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new JoinTokenKey(bytes);
    }

    /** Loads the key from {@code file} (mode checked), creating it (0600) when missing. */
    public static JoinTokenKey loadOrCreate(Path file) {
        if (Files.exists(file)) {
            var text = new String(SecretFiles.read(file), StandardCharsets.US_ASCII).trim();
            try {
                return new JoinTokenKey(Base64.getDecoder().decode(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": not a base64 join token key of 32 bytes");
            }
        }
        var created = random();
        SecretFiles.write(file, Base64.getEncoder().encode(created.key));
        return created;
    }

    /** HMAC-SHA256 of {@code data} with this key. */
    public byte[] sign(byte[] data) {
        return hmac(key, data);
    }

    /** HMAC-SHA256 of {@code data} keyed by {@code key}. */
    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            var mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "JoinTokenKey[<redacted>]";
    }
}
