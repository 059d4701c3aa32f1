package io.meshlog.schemas.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/** The tokens an API knows, and which of them an {@code Authorization: Bearer …} header carries. */
public final class BearerTokens {
    private final List<BearerToken> tokens;
    private final List<byte[]> secrets;

    public BearerTokens(List<BearerToken> tokens) {
        this.tokens = List.copyOf(tokens);
        this.secrets = this.tokens.stream().map(t -> t.token().getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** No tokens: the API is open (its config decides whether that is allowed). */
    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    /** The token text after {@code Bearer } (scheme case-insensitive), or null when there is none. */
    public static String presented(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
    }

    /**
     * The known token the header carries. Every known token is compared, each in constant time, so
     * the time taken says nothing about which one nearly matched.
     */
    public Optional<BearerToken> match(String authorization) {
        var presented = presented(authorization);
        if (presented == null) {
            return Optional.empty();
        }
        var bytes = presented.getBytes(StandardCharsets.UTF_8);
        BearerToken match = null;
        for (int i = 0; i < secrets.size(); i++) {
            if (MessageDigest.isEqual(secrets.get(i), bytes)) {
                match = tokens.get(i);
            }
        }
        return Optional.ofNullable(match);
    }
}
