package io.meshlog.proxy.security;

import io.meshlog.proxy.identity.KeyCertMaterial;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HexFormat;

/**
 * The admin {@code /certs} page: this workload's certificate (SPIFFE id, serial, validity, time
 * left, issuer) and the trust bundle's anchors by SHA-256 fingerprint. Public data only: never
 * the private key, never a PEM body.
 */
final class CertsView {
    private CertsView() {}

    static JsonObject render(KeyCertMaterial material, Clock clock) {
        var chain = material.chain();
        var leaf = chain.get(0);
        var left = material.timeLeft(clock);
        var anchors = new JsonArray();
        for (var anchor : material.trustAnchors()) {
            anchors.add(new JsonObject().put("subject", anchor.getSubjectX500Principal().getName())
                    .put("sha256", fingerprint(anchor)).put("notAfter", anchor.getNotAfter().toInstant().toString()));
        }
        return new JsonObject()
                .put("spiffeId", material.spiffeId().uri())
                .put("serial", material.serial())
                .put("notBefore", material.notBefore().toString())
                .put("notAfter", material.notAfter().toString())
                .put("timeLeft", left.toString())
                .put("timeLeftSeconds", left.toSeconds())
                .put("issuer", leaf.getIssuerX500Principal().getName())
                .put("chainLength", chain.size())
                .put("trustBundle", new JsonObject().put("version", material.trustBundleVersion())
                        .put("anchors", anchors).put("revokedSerials", material.revokedSerials().size()));
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }
}
