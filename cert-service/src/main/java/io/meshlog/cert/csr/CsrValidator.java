package io.meshlog.cert.csr;

import io.meshlog.schemas.v1.RejectionReason;
import java.io.IOException;
import java.io.StringReader;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/** Reads a PEM CSR and checks it: parseable, self-signature valid, exactly one URI SAN. */
public final class CsrValidator {
    private CsrValidator() {}

    /**
     * A CSR as read, not yet trusted.
     *
     * @param der the DER bytes (the join-token proof is computed over them)
     * @param request the parsed request
     */
    public record ParsedCsr(byte[] der, PKCS10CertificationRequest request) {}

    /** @throws CsrRejectedException MALFORMED_CSR when {@code pem} is not one PKCS#10 request */
    public static ParsedCsr parse(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new CsrRejectedException(RejectionReason.MALFORMED_CSR, "the CSR is empty");
        }
        try (var parser = new PEMParser(new StringReader(pem))) {
            var object = parser.readObject();
            if (object instanceof PKCS10CertificationRequest request) {
                return new ParsedCsr(request.getEncoded(), request);
            }
        } catch (IOException | RuntimeException e) {
            throw new CsrRejectedException(RejectionReason.MALFORMED_CSR,
                    "the CSR is not a readable PEM CERTIFICATE REQUEST: " + e.getMessage());
        }
        throw new CsrRejectedException(RejectionReason.MALFORMED_CSR,
                "the CSR must be one PEM CERTIFICATE REQUEST block");
    }

    /**
     * Verifies the CSR's signature with the key it carries (the requester holds the private key)
     * and returns that key.
     */
    public static PublicKey verifySignature(ParsedCsr csr) {
        try {
            var jca = new JcaPKCS10CertificationRequest(csr.request());
            var key = jca.getPublicKey();
            var ok = csr.request().isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
            if (!ok) {
                throw new CsrRejectedException(RejectionReason.BAD_CSR_SIGNATURE,
                        "the CSR's signature does not verify with the public key it carries");
            }
            if (!"EC".equals(key.getAlgorithm())) {
                throw new CsrRejectedException(RejectionReason.MALFORMED_CSR,
                        "the CSR's key must be an EC key, but was " + key.getAlgorithm());
            }
            return key;
        } catch (OperatorCreationException | PKCSException | java.security.GeneralSecurityException e) {
            throw new CsrRejectedException(RejectionReason.BAD_CSR_SIGNATURE,
                    "the CSR's signature cannot be verified: " + e.getMessage());
        }
    }

    /** The URI SANs requested through the CSR's extensionRequest attribute. */
    public static List<String> uriSans(ParsedCsr csr) {
        var uris = new ArrayList<String>();
        for (var attribute : csr.request().getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (var value : attribute.getAttrValues()) {
                var extensions = Extensions.getInstance(value);
                var names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
                if (names == null) {
                    continue;
                }
                for (var name : names.getNames()) {
                    if (name.getTagNo() == GeneralName.uniformResourceIdentifier) {
                        uris.add(name.getName().toString());
                    }
                }
            }
        }
        return uris;
    }

    /**
     * Checks the CSR asks for exactly {@code granted} as its only URI SAN.
     *
     * @throws CsrRejectedException SAN_MISMATCH otherwise, naming what was asked and granted
     */
    public static void requireOnlyUriSan(ParsedCsr csr, String granted, String proxyId) {
        var uris = uriSans(csr);
        if (uris.size() != 1 || !uris.get(0).equals(granted)) {
            throw new CsrRejectedException(RejectionReason.SAN_MISMATCH, "CSR rejected for proxy '"
                    + proxyId + "': its URI SANs " + uris + " must be exactly the SPIFFE id the join"
                    + " token grants, '" + granted + "'");
        }
    }
}
