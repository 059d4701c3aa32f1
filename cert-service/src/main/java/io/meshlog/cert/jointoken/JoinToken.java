package io.meshlog.cert.jointoken;

/**
 * A join token as handed to an operator: {@code base64url(claims) + "." + base64url(signature)}.
 * The value is a secret: {@link #toString()} shows only the claims.
 *
 * @param value the whole token string, to give to one proxy
 * @param claims what it grants
 */
public record JoinToken(String value, JoinTokenClaims claims) {
    @Override
    public String toString() {
        return "JoinToken[id=" + claims.tokenId() + ", spiffeId=" + claims.spiffeId()
                + ", expiresAt=" + claims.expiresAt() + ", value=<redacted>]";
    }
}
