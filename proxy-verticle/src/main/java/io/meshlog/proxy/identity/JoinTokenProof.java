package io.meshlog.proxy.identity;

import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proxy's half of the join-token protocol (cert-service README): a token is
 * {@code base64url(claims) "." base64url(signature)}; only the claims travel, with
 * proof = HMAC-SHA256(key = signature, data = CSR DER), base64url. The signature never leaves the
 * proxy, and the proof is good for this CSR only.
 */
public final class JoinTokenProof {
    private JoinTokenProof() {}

    /** The claims part of {@code token} (public). */
    public static String claims(String token) {
        return parts(token)[0];
    }

    /** The proof for {@code csrDer}, base64url without padding. */
    public static String proof(String token, byte[] csrDer) {
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(parts(token)[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("join token: the signature part is not base64url");
        }
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signature, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(csrDer));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String[] parts(String token) {
        var parts = token == null ? new String[0] : token.trim().split("\\.", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("join token: expected <claims>.<signature>");
        }
        return parts;
    }
}
