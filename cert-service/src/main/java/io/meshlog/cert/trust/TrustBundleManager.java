package io.meshlog.cert.trust;

import io.meshlog.schemas.v1.TrustBundle;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the trust bundle and publishes it on every change: anchors replaced (CA rotation) or a
 * serial revoked. Revoked serials are persisted through {@code onRevoked} so a restart keeps them.
 *
 * <p>Thread-safe (synchronized): called from the main thread at start and the admin thread later.
 */
public final class TrustBundleManager {
    private static final Logger LOGGER = LoggerFactory.getLogger(TrustBundleManager.class);

    private final String trustDomain;
    private final Clock clock;
    private final Consumer<TrustBundle> publisher;
    private final Consumer<java.util.Set<String>> onRevoked;
    private TrustBundleState state;

    /**
     * @param initial the state at start (anchors and persisted revocations)
     * @param publisher sends a bundle to {@code mesh.trust.v1}; must not return before it is written
     * @param onRevoked persists the revoked serials after a change
     */
    public TrustBundleManager(String trustDomain, TrustBundleState initial, Clock clock,
            Consumer<TrustBundle> publisher, Consumer<java.util.Set<String>> onRevoked) {
        this.trustDomain = trustDomain;
        this.clock = clock;
        this.publisher = publisher;
        this.onRevoked = onRevoked;
        this.state = initial;
    }

    public synchronized TrustBundleState state() {
        return state;
    }

    /** Publishes the current bundle (at start). */
    public synchronized void publish() {
        var event = state.toEvent(trustDomain, clock.instant());
        publisher.accept(event);
        LOGGER.atInfo().addKeyValue("version", state.version())
                .addKeyValue("anchors", describe(state.anchors()))
                .addKeyValue("revoked", state.revokedSerials().size())
                .log("trust bundle published");
    }

    /** Replaces the anchors and publishes. */
    public synchronized void setAnchors(List<Anchor> anchors) {
        state = state.withAnchors(anchors, clock.millis());
        publish();
    }

    /** Adds a revoked certificate serial (hex) and publishes. */
    public synchronized void revokeSerial(String serialHex) {
        state = state.withRevoked(serialHex, clock.millis());
        onRevoked.accept(state.revokedSerials());
        publish();
    }

    private static String describe(List<Anchor> anchors) {
        var text = new StringBuilder();
        for (var anchor : anchors) {
            text.append(anchor.role()).append(':').append(anchor.fingerprint(), 0, 16).append(' ');
        }
        return text.toString().trim();
    }
}
