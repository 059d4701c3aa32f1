package io.meshlog.cert.config;

import java.time.Duration;

/** Operator durations ({@code 90s}, {@code 15m}, {@code 1h}, {@code 7d}) in meshlog's one syntax, errors as {@link ConfigException}. */
public final class Durations {
    private Durations() {}

    /**
     * @param path the setting or option being parsed, named in the error
     * @param text the text to parse
     */
    public static Duration parse(String path, String text) {
        try {
            return io.meshlog.policy.model.Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path, e.getMessage());
        }
    }
}
