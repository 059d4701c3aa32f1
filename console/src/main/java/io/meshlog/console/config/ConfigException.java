package io.meshlog.console.config;

/** A console setting that cannot work, with the setting's name. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String path, String problem) {
        super(path + ": " + problem);
    }

    public static void require(boolean ok, String path, String problem) {
        if (!ok) {
            throw new ConfigException(path, problem);
        }
    }
}
