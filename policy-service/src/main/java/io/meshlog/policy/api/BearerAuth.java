package io.meshlog.policy.api;

import io.meshlog.policy.config.ApiToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** Checks {@code Authorization: Bearer …}; writers need a writer token, reads one only if protected. */
public final class BearerAuth {
    /** Author of changes when authentication is off. */
    public static final String ANONYMOUS = "anonymous";

    private final List<ApiToken> tokens;
    private final boolean protectReads;

    public BearerAuth(List<ApiToken> tokens, boolean protectReads) {
        this.tokens = List.copyOf(tokens);
        this.protectReads = protectReads;
    }

    /**
     * The caller's name.
     *
     * @throws ApiException 401 without a known token, 403 when a reader tries to write
     */
    public String authenticate(String authorization, boolean write) {
        if (tokens.isEmpty() || (!write && !protectReads)) {
            return tokens.isEmpty() ? ANONYMOUS : caller(authorization, write, false);
        }
        return caller(authorization, write, true);
    }

    private String caller(String authorization, boolean write, boolean required) {
        var presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        ApiToken match = null;
        if (presented != null) {
            for (var token : tokens) {
                if (MessageDigest.isEqual(token.token().getBytes(StandardCharsets.UTF_8),
                        presented.getBytes(StandardCharsets.UTF_8))) {
                    match = token;
                }
            }
        }
        if (match == null) {
            if (!required) {
                return ANONYMOUS;
            }
            throw new ApiException(401, presented == null
                    ? "authentication required: send 'Authorization: Bearer <token>'" : "unknown token");
        }
        if (write && !match.writer()) {
            throw new ApiException(403, "token '" + match.name() + "' may read but not change policies");
        }
        return match.name();
    }
}
