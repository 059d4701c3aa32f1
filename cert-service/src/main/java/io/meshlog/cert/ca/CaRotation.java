package io.meshlog.cert.ca;

import io.meshlog.cert.keystore.CaStateDirectory;
import io.meshlog.cert.keystore.Pem;
import io.meshlog.cert.trust.Anchor;
import io.meshlog.cert.trust.TrustBundleManager;
import io.meshlog.schemas.v1.AnchorRole;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates the mesh root in three steps so no connection ever meets a root its peer does not trust:
 *
 * <ol>
 *   <li>{@link #prepare()}: make the next root; publish CURRENT(old) + NEXT(new). Proxies now trust both.
 *   <li>{@link #activate()}: sign with the new root; publish CURRENT(new) + RETIRING(old). Proxies
 *       whose certificate chains to a root that is no longer CURRENT renew at once.
 *   <li>{@link #retire()}: withdraw the old root; publish CURRENT(new) only.
 * </ol>
 *
 * Wait between steps for the bundle to reach every proxy (and, before retiring, for every proxy to
 * hold a new certificate). Thread-safe (synchronized); driven by the admin endpoint or tests.
 */
public final class CaRotation {
    private static final Logger LOGGER = LoggerFactory.getLogger(CaRotation.class);

    private final CertificateAuthority authority;
    private final CaStateDirectory state;
    private final TrustBundleManager bundle;
    private final String trustDomain;
    private final Clock clock;
    private final boolean persistSigner;
    private Optional<SigningCa> next = Optional.empty();
    private Optional<X509Certificate> retiring;

    /**
     * @param persistSigner whether the signing CA lives in the state directory (false for an
     *     operator-supplied CA: its files are the operator's)
     */
    public CaRotation(CertificateAuthority authority, CaStateDirectory state, TrustBundleManager bundle,
            String trustDomain, Clock clock, boolean persistSigner) {
        this.authority = authority;
        this.state = state;
        this.bundle = bundle;
        this.trustDomain = trustDomain;
        this.clock = clock;
        this.persistSigner = persistSigner;
        this.next = state.loadKeyAndChain(CaLoader.NEXT)
                .map(k -> new SigningCa(k.key(), k.chain()));
        this.retiring = state.readTextIfPresent(CaLoader.RETIRING)
                .map(pem -> Pem.certificates(pem, state.file(CaLoader.RETIRING).toString()).get(0));
    }

    /** The anchors at start, including a rotation in progress before a restart. */
    public synchronized List<Anchor> anchors() {
        var anchors = new ArrayList<Anchor>();
        anchors.add(new Anchor(authority.signingCa().root(), AnchorRole.CURRENT));
        next.ifPresent(n -> anchors.add(new Anchor(n.root(), AnchorRole.NEXT)));
        retiring.ifPresent(r -> anchors.add(new Anchor(r, AnchorRole.RETIRING)));
        return anchors;
    }

    /** Step 1: creates the next root and publishes it as NEXT beside the CURRENT one. */
    public synchronized void prepare() {
        if (next.isPresent()) {
            throw new IllegalStateException("a CA rotation is already prepared; activate it first");
        }
        var created = CaLoader.newRoot(trustDomain, clock);
        state.saveKeyAndChain(CaLoader.NEXT, created.key(), created.chain());
        next = Optional.of(created);
        bundle.setAnchors(anchors());
        LOGGER.atInfo().addKeyValue("nextRoot", created.root().getSubjectX500Principal())
                .log("CA rotation prepared: next root published");
    }

    /** Step 2: signs with the next root from now on; the old root becomes RETIRING. */
    public synchronized void activate() {
        var incoming = next.orElseThrow(() -> new IllegalStateException(
                "no CA rotation is prepared; call prepare first"));
        var old = authority.signingCa().root();
        if (persistSigner) {
            state.saveKeyAndChain(CaLoader.CURRENT, incoming.key(), incoming.chain());
        }
        state.writeText(CaLoader.RETIRING, Pem.encode(old));
        state.delete(CaLoader.NEXT + ".key", CaLoader.NEXT + ".pem");
        authority.switchTo(incoming);
        next = Optional.empty();
        retiring = Optional.of(old);
        bundle.setAnchors(anchors());
        LOGGER.atInfo().addKeyValue("root", incoming.root().getSubjectX500Principal())
                .log("CA rotation activated: signing with the new root");
    }

    /** Step 3: withdraws the old root from the bundle. */
    public synchronized void retire() {
        if (retiring.isEmpty()) {
            throw new IllegalStateException("no retiring root to withdraw; activate a rotation first");
        }
        state.delete(CaLoader.RETIRING);
        retiring = Optional.empty();
        bundle.setAnchors(anchors());
        LOGGER.atInfo().log("CA rotation complete: old root withdrawn");
    }
}
