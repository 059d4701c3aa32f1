package io.meshlog.policy.api;

import io.meshlog.schemas.auth.BearerToken;
import io.meshlog.schemas.auth.BearerTokens;
import java.util.List;

/** Checks {@code Authorization: Bearer …}; writers need a writer token, reads one only if protected. */
public final class BearerAuth {
    /** Author of changes when authentication is off. */
    public static final String ANONYMOUS = "anonymous";

    private final BearerTokens tokens;
    private final boolean protectReads;

    public BearerAuth(List<BearerToken> tokens, boolean protectReads) {
        this.tokens = new BearerTokens(tokens);
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
        var match = tokens.match(authorization).orElse(null);
        if (match == null) {
            if (!required) {
                return ANONYMOUS;
            }
            throw new ApiException(401, BearerTokens.presented(authorization) == null
                    ? "authentication required: send 'Authorization: Bearer <token>'" : "unknown token");
        }
        if (write && !match.writer()) {
            throw new ApiException(403, "token '" + match.name() + "' may read but not change policies");
        }
        return match.name();
    }
}
