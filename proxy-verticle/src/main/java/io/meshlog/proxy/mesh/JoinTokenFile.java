package io.meshlog.proxy.mesh;

import io.meshlog.proxy.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a join token from its file (as the compose stack mounts one per service account). Errors
 * name the setting and the file, never the file's content.
 */
final class JoinTokenFile {
    /** A join token is a few hundred bytes; anything much larger is not one. */
    static final long MAX_BYTES = 64 * 1024;

    private JoinTokenFile() {}

    /**
     * @param file the token's file
     * @param setting where the path came from, e.g. {@code MESHLOG_PROXY_JOIN_TOKEN_FILE}
     * @return the token, surrounding whitespace (a trailing newline) removed
     */
    static String read(Path file, String setting) {
        if (!Files.exists(file)) {
            throw new ConfigException(setting, "the join token file '" + file + "' does not exist");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(setting, "the join token file '" + file + "' is not a readable file");
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(setting, "the join token file '" + file + "' is larger than " + MAX_BYTES
                        + " bytes: it does not hold a join token");
            }
            var token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new ConfigException(setting, "the join token file '" + file + "' is empty");
            }
            return token;
        } catch (IOException e) {
            throw new ConfigException(setting, "the join token file '" + file + "' cannot be read: "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
