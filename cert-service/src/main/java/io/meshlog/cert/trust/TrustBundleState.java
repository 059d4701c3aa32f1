package io.meshlog.cert.trust;

import io.meshlog.cert.keystore.Pem;
import io.meshlog.schemas.v1.TrustAnchor;
import io.meshlog.schemas.v1.TrustBundle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What proxies of one trust domain must trust right now: the roots with their roles and the
 * revoked certificate serials. Immutable; every change makes a new one with a higher version.
 *
 * @param anchors the roots, CURRENT first
 * @param revokedSerials revoked leaf serials, lowercase hex
 * @param version grows with every change (survives restarts: never below the wall clock millis)
 */
public record TrustBundleState(List<Anchor> anchors, Set<String> revokedSerials, long version) {
    public TrustBundleState {
        anchors = List.copyOf(anchors);
        revokedSerials = Set.copyOf(revokedSerials);
    }

    TrustBundleState withAnchors(List<Anchor> next, long nowMillis) {
        return new TrustBundleState(next, revokedSerials, nextVersion(nowMillis));
    }

    TrustBundleState withRevoked(String serialHex, long nowMillis) {
        var serials = new TreeSet<>(revokedSerials);
        serials.add(serialHex.toLowerCase(java.util.Locale.ROOT));
        return new TrustBundleState(anchors, serials, nextVersion(nowMillis));
    }

    private long nextVersion(long nowMillis) {
        return Math.max(version + 1, nowMillis);
    }

    /** The event published on {@code mesh.trust.v1}. */
    public TrustBundle toEvent(String trustDomain, Instant now) {
        var trustAnchors = new ArrayList<TrustAnchor>();
        for (var anchor : anchors) {
            trustAnchors.add(TrustAnchor.newBuilder()
                    .setCertificatePem(Pem.encode(anchor.certificate()))
                    .setSha256Fingerprint(anchor.fingerprint())
                    .setRole(anchor.role())
                    .build());
        }
        return TrustBundle.newBuilder()
                .setTrustDomain(trustDomain)
                .setAnchors(trustAnchors)
                .setRevokedSerials(List.copyOf(new TreeSet<>(revokedSerials)))
                .setVersion(version)
                .setUpdatedAt(now)
                .build();
    }
}
