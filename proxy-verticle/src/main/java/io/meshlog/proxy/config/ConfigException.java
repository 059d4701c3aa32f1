package io.meshlog.proxy.config;

/** A configuration value is wrong; the message names where ({@link #path()}) and what was expected. */
public final class ConfigException extends RuntimeException {
    private final String path;

    public ConfigException(String path, String message) {
        super(path + ": " + message);
        this.path = path;
    }

    public ConfigException(String path, String message, Throwable cause) {
        super(path + ": " + message, cause);
        this.path = path;
    }

    /** Where the bad value is, e.g. {@code listeners.inbound.port}. */
    public String path() {
        return path;
    }

    /** Throws a {@link ConfigException} for {@code path} unless {@code condition} holds. */
    public static void require(boolean condition, String path, String message) {
        if (!condition) {
            throw new ConfigException(path, message);
        }
    }
}
