package io.meshlog.cert.jointoken;

import io.meshlog.schemas.v1.RejectionReason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;

/**
 * Checks the join-token part of a certificate request without the token ever travelling: from the
 * public claims it recomputes the token's signature with the token key, then checks that the
 * request's proof equals HMAC-SHA256(signature, CSR DER) in constant time. The proof is thus bound
 * to this one CSR; a reader of the requests topic can neither reuse it for another key nor learn
 * the token. Then expiry and revocation. Thread-safe.
 */
public final class JoinTokenVerifier {
    private final JoinTokenKey key;
    private final TokenRevocationList revocations;
    private final Clock clock;

    public JoinTokenVerifier(JoinTokenKey key, TokenRevocationList revocations, Clock clock) {
        this.key = key;
        this.revocations = revocations;
        this.clock = clock;
    }

    /**
     * @param encodedClaims {@code CertificateRequest.joinTokenClaims}
     * @param proof {@code CertificateRequest.joinTokenProof} (base64url)
     * @param csrDer the DER bytes of the request's CSR
     * @return the verified claims
     * @throws InvalidJoinTokenException with BAD_TOKEN, EXPIRED_TOKEN or REVOKED_TOKEN
     */
    public JoinTokenClaims verify(String encodedClaims, String proof, byte[] csrDer) {
        JoinTokenClaims claims;
        try {
            claims = JoinTokenClaims.decode(encodedClaims);
        } catch (IllegalArgumentException e) {
            throw new InvalidJoinTokenException(RejectionReason.BAD_TOKEN, e.getMessage());
        }
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(proof);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidJoinTokenException(RejectionReason.BAD_TOKEN,
                    "join token proof is not base64url");
        }
        var signature = key.sign(encodedClaims.getBytes(StandardCharsets.US_ASCII));
        var expected = JoinTokenKey.hmac(signature, csrDer);
        if (!MessageDigest.isEqual(expected, presented)) {
            throw new InvalidJoinTokenException(RejectionReason.BAD_TOKEN, "join token "
                    + claims.tokenId() + " was not signed by this cert-service, or its proof does"
                    + " not match this CSR");
        }
        if (!clock.instant().isBefore(claims.expiresAt())) {
            throw new InvalidJoinTokenException(RejectionReason.EXPIRED_TOKEN, "join token "
                    + claims.tokenId() + " expired at " + claims.expiresAt() + "; create a new one");
        }
        if (revocations.isRevoked(claims.tokenId())) {
            throw new InvalidJoinTokenException(RejectionReason.REVOKED_TOKEN, "join token "
                    + claims.tokenId() + " has been revoked");
        }
        return claims;
    }
}
