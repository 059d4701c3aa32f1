/**
 * The trust bundle on {@code mesh.trust.v1}: {@link io.meshlog.cert.trust.TrustBundleState} (roots
 * with their CURRENT/NEXT/RETIRING roles and revoked serials) and
 * {@link io.meshlog.cert.trust.TrustBundleManager}, which publishes it at start and on every
 * change (rotation step, revocation). Runs on the main thread at start and on the admin thread.
 */
package io.meshlog.cert.trust;
