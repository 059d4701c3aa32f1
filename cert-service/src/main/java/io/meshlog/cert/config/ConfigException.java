package io.meshlog.cert.config;

/** A bad setting: names the setting's path and what is wrong with it. */
public final class ConfigException extends RuntimeException {
    private final String path;

    public ConfigException(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    /** The setting that is wrong, such as {@code cert.leafLifetime}. */
    public String path() {
        return path;
    }

    /** Throws a {@code ConfigException} for {@code path} unless {@code condition} holds. */
    public static void require(boolean condition, String path, String problem) {
        if (!condition) {
            throw new ConfigException(path, problem);
        }
    }
}
