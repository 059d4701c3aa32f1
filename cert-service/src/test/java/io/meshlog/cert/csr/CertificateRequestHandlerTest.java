package io.meshlog.cert.csr;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.cert.ca.CaCertificates;
import io.meshlog.cert.ca.CertificateAuthority;
import io.meshlog.cert.jointoken.JoinTokenIssuer;
import io.meshlog.cert.jointoken.JoinTokenKey;
import io.meshlog.cert.jointoken.JoinTokenVerifier;
import io.meshlog.cert.jointoken.TokenRevocationList;
import io.meshlog.cert.keystore.Pem;
import io.meshlog.testsupport.MutableClock;
import io.meshlog.cert.testing.TestCsrs;
import io.meshlog.schemas.v1.CertificateRejected;
import io.meshlog.schemas.v1.CertificateRequest;
import io.meshlog.schemas.v1.IssuedCertificate;
import io.meshlog.schemas.v1.RejectionReason;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class CertificateRequestHandlerTest {
    private static final String GRANTED = "spiffe://cluster.local/ns/payments/sa/payment-processor";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final JoinTokenKey key = JoinTokenKey.random();
    private final CertificateAuthority authority = new CertificateAuthority(
            CaCertificates.newRoot("cluster.local", "test", clock), Duration.ofHours(24), clock);
    private final CertificateRequestHandler handler = new CertificateRequestHandler("cluster.local",
            new JoinTokenVerifier(key, TokenRevocationList.inMemory(), clock), authority, clock);
    private final String token = new JoinTokenIssuer(key, "cluster.local", clock)
            .issue("payments", "payment-processor", Duration.ofHours(1)).value();

    @Test
    void issuesLeafWithSpiffeSanBothUsagesAndConfiguredLifetime() throws Exception {
        var keys = TestCsrs.ecKeyPair();
        var der = TestCsrs.csr(keys, List.of(GRANTED)).getEncoded();

        var outcome = handler.handle(request(GRANTED, TestCsrs.pem(der), TestCsrs.proof(token, der)));

        assertThat(outcome).isInstanceOf(IssuedCertificate.class);
        var issued = (IssuedCertificate) outcome;
        X509Certificate leaf = Pem.certificates(issued.getChainPem(), "test").get(0);
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, GRANTED));
        assertThat(leaf.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(issued.getSerial()).isEqualTo(leaf.getSerialNumber().toString(16));
        assertThat(issued.getNotAfter()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
        leaf.verify(authority.signingCa().root().getPublicKey());
        assertThat(issued.getChainPem()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void csrWhoseSanDiffersFromTheTokenIsRefusedAsSanMismatch() throws Exception {
        var other = "spiffe://cluster.local/ns/payments/sa/admin";
        var der = TestCsrs.csr(TestCsrs.ecKeyPair(), List.of(other)).getEncoded();

        var outcome = handler.handle(request(GRANTED, TestCsrs.pem(der), TestCsrs.proof(token, der)));

        assertRejected(outcome, RejectionReason.SAN_MISMATCH, other);
    }

    @Test
    void requestForAnotherServiceAccountThanTheTokenIsRefusedAsSanMismatch() throws Exception {
        var other = "spiffe://cluster.local/ns/payments/sa/admin";
        var der = TestCsrs.csr(TestCsrs.ecKeyPair(), List.of(other)).getEncoded();

        var outcome = handler.handle(request(other, TestCsrs.pem(der), TestCsrs.proof(token, der)));

        assertRejected(outcome, RejectionReason.SAN_MISMATCH, "does not match");
    }

    @Test
    void csrWithTwoUriSansIsRefusedAsSanMismatch() throws Exception {
        var der = TestCsrs.csr(TestCsrs.ecKeyPair(),
                List.of(GRANTED, "spiffe://cluster.local/ns/payments/sa/admin")).getEncoded();

        assertRejected(handler.handle(request(GRANTED, TestCsrs.pem(der), TestCsrs.proof(token, der))),
                RejectionReason.SAN_MISMATCH, "must be exactly");
    }

    @Test
    void csrWithoutSanIsRefusedAsSanMismatch() throws Exception {
        var der = TestCsrs.csr(TestCsrs.ecKeyPair(), List.of()).getEncoded();

        assertRejected(handler.handle(request(GRANTED, TestCsrs.pem(der), TestCsrs.proof(token, der))),
                RejectionReason.SAN_MISMATCH, "[]");
    }

    @Test
    void csrWithABrokenSignatureIsRefusedAsBadCsrSignature() throws Exception {
        var der = TestCsrs.csr(TestCsrs.ecKeyPair(), List.of(GRANTED)).getEncoded();
        var tampered = der.clone();
        var text = new String(tampered, java.nio.charset.StandardCharsets.ISO_8859_1);
        var at = text.indexOf("meshlog");
        tampered[at] = 'M'; // the signed subject changes, the signature stays

        assertRejected(handler.handle(request(GRANTED, TestCsrs.pem(tampered), TestCsrs.proof(token, tampered))),
                RejectionReason.BAD_CSR_SIGNATURE, "signature");
    }

    @Test
    void unreadableCsrIsRefusedAsMalformed() {
        assertRejected(handler.handle(request(GRANTED, "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
                + "-----END CERTIFICATE REQUEST-----\n", "x")), RejectionReason.MALFORMED_CSR, "CSR");
        assertRejected(handler.handle(request(GRANTED, "", "x")), RejectionReason.MALFORMED_CSR, "empty");
    }

    @Test
    void requestForAnotherTrustDomainIsRefused() throws Exception {
        var foreign = "spiffe://other.mesh/ns/payments/sa/payment-processor";
        var der = TestCsrs.csr(TestCsrs.ecKeyPair(), List.of(foreign)).getEncoded();

        assertRejected(handler.handle(request(foreign, TestCsrs.pem(der), TestCsrs.proof(token, der))),
                RejectionReason.UNKNOWN_TRUST_DOMAIN, "other.mesh");
    }

    @Test
    void wrongProofIsRefusedAsBadTokenAndTheMessageNamesTheProxy() throws Exception {
        var der = TestCsrs.csr(TestCsrs.ecKeyPair(), List.of(GRANTED)).getEncoded();
        var wrong = new JoinTokenIssuer(JoinTokenKey.random(), "cluster.local", clock)
                .issue("payments", "payment-processor", Duration.ofHours(1)).value();

        var outcome = handler.handle(request(GRANTED, TestCsrs.pem(der), TestCsrs.proof(wrong, der)));

        assertRejected(outcome, RejectionReason.BAD_TOKEN, "proxy 'proxy-1'");
        assertThat(((CertificateRejected) outcome).getMessage()).doesNotContain(token.substring(token.indexOf('.') + 1));
    }

    private CertificateRequest request(String spiffeId, String csrPem, String proof) {
        return CertificateRequest.newBuilder()
                .setRequestId("r-1").setProxyId("proxy-1").setSpiffeId(spiffeId).setCsrPem(csrPem)
                .setJoinTokenClaims(TestCsrs.claims(token)).setJoinTokenProof(proof)
                .setRequestedAt(clock.instant()).build();
    }

    private static void assertRejected(SpecificRecord outcome, RejectionReason reason, String messagePart) {
        assertThat(outcome).isInstanceOfSatisfying(CertificateRejected.class, rejected -> {
            assertThat(rejected.getReason()).isEqualTo(reason);
            assertThat(rejected.getMessage()).contains(messagePart);
            assertThat(rejected.getProxyId()).isEqualTo("proxy-1");
        });
    }
}
