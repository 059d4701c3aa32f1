/**
 * The bearer tokens of meshlog's HTTP APIs, one scheme for all of them (the policy API and the
 * console): {@link io.meshlog.schemas.auth.BearerToken} is one token and who holds it (at least
 * {@value io.meshlog.schemas.auth.BearerToken#MIN_LENGTH} characters, redacted when printed),
 * {@link io.meshlog.schemas.auth.BearerTokens} finds which token an {@code Authorization} header
 * carries, comparing in constant time. Plain Java, no I/O: it runs on whichever thread handles the
 * request; each API maps "no match" to its own 401.
 */
package io.meshlog.schemas.auth;
