package io.meshlog.cert.ca;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Signs workload certificates with the current signing CA. The signer can be switched while
 * requests are being served (CA rotation); each signature uses one consistent signer.
 *
 * <p>Thread-safe: the request consumer signs while the admin thread may rotate.
 */
public final class CertificateAuthority {
    private final AtomicReference<SigningCa> signer;
    private final Duration leafLifetime;
    private final Clock clock;

    public CertificateAuthority(SigningCa initial, Duration leafLifetime, Clock clock) {
        this.signer = new AtomicReference<>(initial);
        this.leafLifetime = leafLifetime;
        this.clock = clock;
    }

    /** A certificate for {@code spiffeId} valid from now for the configured leaf lifetime. */
    public IssuedLeaf issue(PublicKey subjectKey, String spiffeId) {
        var now = clock.instant();
        return issue(subjectKey, spiffeId, now.minus(CaCertificates.CLOCK_SKEW), now.plus(leafLifetime));
    }

    /** A certificate with an explicit validity (tests use it to make expired certificates). */
    public IssuedLeaf issue(PublicKey subjectKey, String spiffeId, Instant notBefore, Instant notAfter) {
        var ca = signer.get();
        var chain = new ArrayList<X509Certificate>();
        chain.add(CaCertificates.leaf(ca, subjectKey, spiffeId, notBefore, notAfter));
        if (ca.chain().size() > 1) {
            chain.addAll(ca.intermediates());
        }
        return new IssuedLeaf(chain);
    }

    public SigningCa signingCa() {
        return signer.get();
    }

    /** Switches signing to {@code next}; later certificates chain to its root. */
    public void switchTo(SigningCa next) {
        signer.set(next);
    }

    public Duration leafLifetime() {
        return leafLifetime;
    }
}
