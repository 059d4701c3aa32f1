package io.meshlog.cert.it;

import io.meshlog.cert.ca.CaCertificates;
import io.meshlog.cert.ca.SigningCa;
import io.meshlog.cert.keystore.Pem;
import io.meshlog.proxy.identity.KeyCertMaterial;
import io.meshlog.proxy.identity.SpiffeId;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Workload material signed in memory by a test CA (cert-service's own CA code), without Kafka. */
final class TestMaterial {
    private TestMaterial() {}

    static SigningCa root(String label) {
        return CaCertificates.newRoot(MeshFixture.TRUST_DOMAIN, label, Clock.systemUTC());
    }

    /** A certificate for {@code id} from {@code ca}, valid for an hour, trusting {@code trusted}'s root. */
    static KeyCertMaterial issue(SigningCa ca, SpiffeId id, SigningCa trusted) {
        return issue(ca, id, trusted, Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofHours(1)), Set.of());
    }

    static KeyCertMaterial issue(SigningCa ca, SpiffeId id, SigningCa trusted, Instant notBefore, Instant notAfter,
            Set<String> revoked) {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            var keys = generator.generateKeyPair();
            var leaf = CaCertificates.leaf(ca, keys.getPublic(), id.uri(), notBefore, notAfter);
            return new KeyCertMaterial(id, Pem.encode(keys.getPrivate()), Pem.encode(leaf),
                    List.of(Pem.encode(trusted.root())), revoked, CaCertificates.serialHex(leaf), notBefore, notAfter, 1);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code material} with a trust bundle that revokes {@code serials}. */
    static KeyCertMaterial revoking(KeyCertMaterial material, Set<String> serials) {
        return new KeyCertMaterial(material.spiffeId(), material.privateKeyPem(), material.certificateChainPem(),
                material.trustAnchorPems(), serials, material.serial(), material.notBefore(), material.notAfter(),
                material.trustBundleVersion() + 1);
    }
}
