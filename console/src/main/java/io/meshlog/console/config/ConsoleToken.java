package io.meshlog.console.config;

/**
 * A bearer token that may read the console's API, in the policy API's scheme (same header, same
 * minimum length, compared in constant time). The console is read-only, so there is no writer flag.
 *
 * @param name who holds it (for the log, never the token)
 */
public record ConsoleToken(String name, String token) {
    public ConsoleToken {
        ConfigException.require(name != null && !name.isBlank(), "console.tokens[].name", "must not be empty");
        ConfigException.require(token != null && token.length() >= 16, "console.tokens[" + name + "].token",
                "must be at least 16 characters");
    }

    @Override
    public String toString() {
        return "ConsoleToken[name=" + name + ", token=<redacted>]";
    }
}
