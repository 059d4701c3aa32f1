package io.meshlog.proxy.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;

/**
 * Builds a PKCS#10 certificate signing request for an EC P-256 key with the SPIFFE id as its only
 * URI SAN (requested through the extensionRequest attribute), signed with ECDSA-SHA256.
 */
public final class CsrBuilder {
    private CsrBuilder() {}

    /**
     * A CSR as DER bytes (the join-token proof is computed over them) and PEM (what is sent).
     *
     * @param der the encoded request
     */
    public record Csr(byte[] der) {
        public String pem() {
            var base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(der);
            return "-----BEGIN CERTIFICATE REQUEST-----\n" + base64 + "\n-----END CERTIFICATE REQUEST-----\n";
        }
    }

    /** A CSR for {@code keys} asking for {@code uriSan}, signed with the private key. */
    public static Csr build(KeyPair keys, String uriSan) {
        var subject = Der.tlv(Der.SEQUENCE, Der.tlv(Der.SET,
                Der.tlv(Der.SEQUENCE, Der.OID_ORGANIZATION, Der.utf8("meshlog"))));
        var generalNames = Der.tlv(Der.SEQUENCE,
                Der.tlv(Der.CONTEXT_6_PRIMITIVE, uriSan.getBytes(StandardCharsets.US_ASCII)));
        var sanExtension = Der.tlv(Der.SEQUENCE, Der.OID_SUBJECT_ALT_NAME,
                Der.tlv(Der.OCTET_STRING, generalNames));
        var extensionRequest = Der.tlv(Der.SEQUENCE, Der.OID_EXTENSION_REQUEST,
                Der.tlv(Der.SET, Der.tlv(Der.SEQUENCE, sanExtension)));
        var info = Der.tlv(Der.SEQUENCE,
                Der.tlv(Der.INTEGER, new byte[] {0}),
                subject,
                keys.getPublic().getEncoded(), // SubjectPublicKeyInfo, already DER
                Der.tlv(Der.CONTEXT_0_CONSTRUCTED, extensionRequest));
        try {
            var signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(info);
            var signature = signer.sign(); // DER ECDSA-Sig-Value, as X.509 wants it
            return new Csr(Der.tlv(Der.SEQUENCE, info,
                    Der.tlv(Der.SEQUENCE, Der.OID_ECDSA_SHA256), Der.bitString(signature)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the CSR: " + e.getMessage(), e);
        }
    }
}
