package io.meshlog.cert.keystore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The files of cert-service's state directory. Keys are written 0600 and checked on load;
 * certificates are public. Layout:
 *
 * <pre>
 * current-ca.key / current-ca.pem   the signing CA (key; signer first, then its chain up to the root)
 * next-ca.key / next-ca.pem         during a CA rotation, the next root
 * retiring-ca.pem                   after the switch, the old root until it is withdrawn
 * token.key                         HMAC key of join tokens
 * revoked-tokens.txt, revoked-serials.txt
 * </pre>
 */
public final class CaStateDirectory {
    private final Path dir;

    public CaStateDirectory(Path dir) {
        this.dir = dir;
        SecretFiles.createPrivateDirectory(dir);
    }

    public Path path() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** A key and its certificate chain stored under {@code name}.key / {@code name}.pem, if present. */
    public Optional<KeyAndChain> loadKeyAndChain(String name) {
        var keyFile = file(name + ".key");
        var certFile = file(name + ".pem");
        if (!Files.exists(keyFile) || !Files.exists(certFile)) {
            return Optional.empty();
        }
        return Optional.of(loadKeyAndChain(keyFile, certFile, Optional.empty()));
    }

    /** Loads a key file (mode checked) and certificate files (signer, then optional chain). */
    public static KeyAndChain loadKeyAndChain(Path keyFile, Path certFile, Optional<Path> chainFile) {
        var key = Pem.privateKey(new String(SecretFiles.read(keyFile), StandardCharsets.US_ASCII),
                keyFile.toString());
        var chain = new java.util.ArrayList<>(Pem.certificates(readText(certFile), certFile.toString()));
        chainFile.ifPresent(f -> chain.addAll(Pem.certificates(readText(f), f.toString())));
        return new KeyAndChain(key, chain);
    }

    /** Stores a key (0600) and its chain under {@code name}. */
    public void saveKeyAndChain(String name, PrivateKey key, List<X509Certificate> chain) {
        SecretFiles.write(file(name + ".key"), Pem.encode(key).getBytes(StandardCharsets.US_ASCII));
        writeText(file(name + ".pem"), Pem.encode(chain));
    }

    public void delete(String... names) {
        try {
            for (var name : names) {
                Files.deleteIfExists(file(name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<String> readTextIfPresent(String name) {
        var f = file(name);
        return Files.exists(f) ? Optional.of(readText(f)) : Optional.empty();
    }

    public void writeText(String name, String text) {
        writeText(file(name), text);
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeText(Path file, String text) {
        try {
            var temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A private key with its certificate chain (signer first).
     *
     * @param key the private key; never printed
     * @param chain signer first, then its issuers up to the root
     */
    public record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {
        public KeyAndChain {
            chain = List.copyOf(chain);
        }

        @Override
        public String toString() {
            return "KeyAndChain[key=<redacted>, signer=" + chain.get(0).getSubjectX500Principal() + "]";
        }
    }
}
