package io.meshlog.cert.jointoken;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The public part of a join token: which token, which SPIFFE id it grants, until when. Encoded as
 * base64url (no padding) of {@code v1\n<tokenId>\n<spiffeId>\n<expiresAt epoch seconds>}.
 *
 * @param tokenId random id, used to revoke the token
 * @param spiffeId the one SPIFFE id the token grants
 * @param expiresAt after this instant the token is refused
 */
public record JoinTokenClaims(String tokenId, String spiffeId, Instant expiresAt) {
    private static final Pattern TOKEN_ID = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    public JoinTokenClaims {
        if (tokenId == null || !TOKEN_ID.matcher(tokenId).matches()) {
            throw new IllegalArgumentException("token id must be 8-64 base64url characters");
        }
        if (spiffeId == null || !spiffeId.startsWith("spiffe://") || spiffeId.contains("\n")) {
            throw new IllegalArgumentException("granted id must be a spiffe:// URI, but was '" + spiffeId + "'");
        }
        if (expiresAt == null) {
            throw new IllegalArgumentException("expiry must be set");
        }
    }

    /** The encoded claims, as sent in {@code CertificateRequest.joinTokenClaims}. */
    public String encode() {
        var text = "v1\n" + tokenId + "\n" + spiffeId + "\n" + expiresAt.getEpochSecond();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes claims.
     *
     * @throws IllegalArgumentException saying what is wrong (never echoing secrets: claims are public)
     */
    public static JoinTokenClaims decode(String encoded) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("join token claims are not base64url");
        }
        var parts = text.split("\n", -1);
        if (parts.length != 4 || !parts[0].equals("v1")) {
            throw new IllegalArgumentException("join token claims are not in the v1 format");
        }
        try {
            return new JoinTokenClaims(parts[1], parts[2], Instant.ofEpochSecond(Long.parseLong(parts[3])));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("join token expiry is not a number");
        }
    }
}
