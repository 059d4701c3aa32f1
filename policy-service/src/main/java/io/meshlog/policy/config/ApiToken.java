package io.meshlog.policy.config;

/**
 * A bearer token and who holds it.
 *
 * @param name the identity recorded as the author of changes made with this token
 * @param writer whether it may change policies (readers may only read)
 */
public record ApiToken(String name, String token, boolean writer) {
    public ApiToken {
        ConfigException.require(name != null && !name.isBlank(), "auth.tokens[].name", "must not be empty");
        ConfigException.require(token != null && token.length() >= 16, "auth.tokens[" + name + "].token",
                "must be at least 16 characters");
    }

    @Override
    public String toString() {
        return "ApiToken[name=" + name + ", token=<redacted>, writer=" + writer + "]";
    }
}
