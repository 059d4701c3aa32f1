/**
 * Join tokens: an operator creates one per service account ({@link
 * io.meshlog.cert.jointoken.JoinTokenIssuer}); it is {@code base64url(claims) "." base64url(HMAC-SHA256(key, claims))}.
 * A proxy sends only the claims and a proof, HMAC-SHA256(signature part, CSR DER); {@link
 * io.meshlog.cert.jointoken.JoinTokenVerifier} recomputes both and compares in constant time, then
 * checks expiry and the {@link io.meshlog.cert.jointoken.TokenRevocationList}. Issuing runs on the
 * CLI or admin thread, verifying on the request consumer thread.
 */
package io.meshlog.cert.jointoken;
