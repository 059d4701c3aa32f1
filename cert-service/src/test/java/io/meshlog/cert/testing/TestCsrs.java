package io.meshlog.cert.testing;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** CSRs and join-token proofs as a proxy makes them, built with Bouncy Castle for unit tests. */
public final class TestCsrs {
    private TestCsrs() {}

    public static KeyPair ecKeyPair() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSR for {@code keys} with the given URI SANs. */
    public static PKCS10CertificationRequest csr(KeyPair keys, List<String> uriSans) {
        try {
            var builder = new JcaPKCS10CertificationRequestBuilder(new X500Name("O=meshlog"), keys.getPublic());
            if (!uriSans.isEmpty()) {
                var names = uriSans.stream()
                        .map(u -> new GeneralName(GeneralName.uniformResourceIdentifier, u))
                        .toArray(GeneralName[]::new);
                var extensions = new ExtensionsGenerator();
                extensions.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(names));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    public static String claims(String token) {
        return token.substring(0, token.indexOf('.'));
    }

    /** HMAC-SHA256(token signature part, CSR DER), base64url: the proof a proxy sends. */
    public static String proof(String token, byte[] csrDer) {
        try {
            var signature = Base64.getUrlDecoder().decode(token.substring(token.indexOf('.') + 1));
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signature, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(csrDer));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
