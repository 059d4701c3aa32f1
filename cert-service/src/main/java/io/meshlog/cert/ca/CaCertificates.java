package io.meshlog.cert.ca;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Makes the certificates of the mesh: self-signed EC P-256 roots and SPIFFE workload leaves. */
public final class CaCertificates {
    /** Lifetime of a generated root. */
    public static final Duration ROOT_LIFETIME = Duration.ofDays(3650);
    /** How far notBefore of a leaf is set back, for peers whose clocks run a little behind. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    private CaCertificates() {}

    /** A new self-signed root CA for {@code trustDomain}; {@code label} tells roots apart (rotation). */
    public static SigningCa newRoot(String trustDomain, String label, Clock clock) {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            var pair = generator.generateKeyPair();
            var name = new X500Name("O=meshlog,OU=" + trustDomain + ",CN=meshlog root " + label);
            var now = clock.instant();
            var utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, randomSerial(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(ROOT_LIFETIME)), name,
                    pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(pair.getPublic()));
            var cert = sign(builder, pair.getPrivate());
            return new SigningCa(pair.getPrivate(), java.util.List.of(cert));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create a root CA: " + e.getMessage(), e);
        }
    }

    /**
     * A workload certificate: the SPIFFE id as its only (URI) SAN, serverAuth + clientAuth,
     * digitalSignature + keyAgreement, a 128-bit random serial.
     */
    public static X509Certificate leaf(
            SigningCa ca, PublicKey subjectKey, String spiffeId, Instant notBefore, Instant notAfter) {
        try {
            var utils = new JcaX509ExtensionUtils();
            var issuer = X500Name.getInstance(ca.signer().getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, randomSerial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("O=meshlog"), subjectKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    // SPIFFE X.509-SVID: the subject is not meaningful, so the SAN is critical
                    .addExtension(Extension.subjectAlternativeName, true, new GeneralNames(
                            new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId)))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(ca.signer()))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(subjectKey));
            return sign(builder, ca.key());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot sign a certificate for " + spiffeId + ": "
                    + e.getMessage(), e);
        }
    }

    /** The serial number as cert-service publishes it: lowercase hex. */
    public static String serialHex(X509Certificate cert) {
        return cert.getSerialNumber().toString(16);
    }

    private static BigInteger randomSerial() {
        return new BigInteger(127, RANDOM).setBit(126); // positive, 16 bytes, never zero
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, java.security.PrivateKey key)
            throws GeneralSecurityException {
        try {
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }
}
