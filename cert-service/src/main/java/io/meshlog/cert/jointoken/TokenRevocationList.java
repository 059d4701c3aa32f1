package io.meshlog.cert.jointoken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ids of join tokens that must no longer be accepted, kept in memory and, when a file is given,
 * persisted one id per line. Thread-safe: the consumer reads while the admin thread adds.
 */
public final class TokenRevocationList {
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Optional<Path> file;

    private TokenRevocationList(Optional<Path> file) {
        this.file = file;
    }

    public static TokenRevocationList inMemory() {
        return new TokenRevocationList(Optional.empty());
    }

    /** A list persisted in {@code file}, loaded now when it exists. */
    public static TokenRevocationList persistedIn(Path file) {
        var list = new TokenRevocationList(Optional.of(file));
        if (Files.exists(file)) {
            try {
                for (var line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                    if (!line.isBlank()) {
                        list.revoked.add(line.trim());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return list;
    }

    public boolean isRevoked(String tokenId) {
        return revoked.contains(tokenId);
    }

    /** Revokes {@code tokenId}; returns false if it already was. */
    public synchronized boolean revoke(String tokenId) {
        if (!revoked.add(tokenId)) {
            return false;
        }
        file.ifPresent(this::save);
        return true;
    }

    private void save(Path path) {
        try {
            Files.write(path, new TreeSet<>(revoked), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }
}
