package io.meshlog.cert.jointoken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.testsupport.MutableClock;
import io.meshlog.cert.testing.TestCsrs;
import io.meshlog.schemas.v1.RejectionReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JoinTokenTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final JoinTokenKey key = JoinTokenKey.random();
    private final TokenRevocationList revoked = TokenRevocationList.inMemory();
    private final JoinTokenIssuer issuer = new JoinTokenIssuer(key, "cluster.local", clock);
    private final JoinTokenVerifier verifier = new JoinTokenVerifier(key, revoked, clock);
    private final byte[] csrDer = "a CSR's DER bytes".getBytes(StandardCharsets.US_ASCII);

    @Test
    void tokenGrantsTheServiceAccountsSpiffeIdAndVerifiesWithAProofOverTheCsr() {
        var token = issuer.issue("payments", "payment-processor", Duration.ofHours(1));

        var claims = verifier.verify(TestCsrs.claims(token.value()), TestCsrs.proof(token.value(), csrDer), csrDer);

        assertThat(claims.spiffeId()).isEqualTo("spiffe://cluster.local/ns/payments/sa/payment-processor");
        assertThat(claims.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(token.toString()).doesNotContain(token.value()).contains("<redacted>");
    }

    @Test
    void claimsChangedToAnotherServiceAccountAreRefusedAsBadToken() {
        var token = issuer.issue("payments", "payment-processor", Duration.ofHours(1));
        var forged = new JoinTokenClaims(token.claims().tokenId(),
                "spiffe://cluster.local/ns/payments/sa/admin", token.claims().expiresAt()).encode();

        assertThatThrownBy(() -> verifier.verify(forged, TestCsrs.proof(token.value(), csrDer), csrDer))
                .isInstanceOfSatisfying(InvalidJoinTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.BAD_TOKEN));
    }

    @Test
    void proofForAnotherCsrIsRefusedAsBadToken() {
        var token = issuer.issue("payments", "payment-processor", Duration.ofHours(1));
        var proofForOther = TestCsrs.proof(token.value(), "another CSR".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> verifier.verify(TestCsrs.claims(token.value()), proofForOther, csrDer))
                .isInstanceOfSatisfying(InvalidJoinTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.BAD_TOKEN));
    }

    @Test
    void tokenSignedWithAnotherKeyIsRefusedAsBadToken() {
        var foreign = new JoinTokenIssuer(JoinTokenKey.random(), "cluster.local", clock)
                .issue("payments", "payment-processor", Duration.ofHours(1));

        assertThatThrownBy(() -> verifier.verify(TestCsrs.claims(foreign.value()),
                TestCsrs.proof(foreign.value(), csrDer), csrDer))
                .isInstanceOfSatisfying(InvalidJoinTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.BAD_TOKEN));
    }

    @Test
    void garbageClaimsAndProofAreRefusedAsBadToken() {
        assertThatThrownBy(() -> verifier.verify("!!not-base64!!", "x", csrDer))
                .isInstanceOfSatisfying(InvalidJoinTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.BAD_TOKEN));
        var token = issuer.issue("payments", "payment-processor", Duration.ofHours(1));
        var shortProof = Base64.getUrlEncoder().encodeToString(new byte[3]);
        assertThatThrownBy(() -> verifier.verify(TestCsrs.claims(token.value()), shortProof, csrDer))
                .isInstanceOfSatisfying(InvalidJoinTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.BAD_TOKEN));
    }

    @Test
    void expiredTokenIsRefusedAsExpired() {
        var token = issuer.issue("payments", "payment-processor", Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(5));

        assertThatThrownBy(() -> verifier.verify(TestCsrs.claims(token.value()),
                TestCsrs.proof(token.value(), csrDer), csrDer))
                .isInstanceOfSatisfying(InvalidJoinTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.EXPIRED_TOKEN))
                .hasMessageContaining("expired");
    }

    @Test
    void revokedTokenIsRefusedAsRevoked() {
        var token = issuer.issue("payments", "payment-processor", Duration.ofHours(1));
        revoked.revoke(token.claims().tokenId());

        assertThatThrownBy(() -> verifier.verify(TestCsrs.claims(token.value()),
                TestCsrs.proof(token.value(), csrDer), csrDer))
                .isInstanceOfSatisfying(InvalidJoinTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.REVOKED_TOKEN));
    }

    @Test
    void badNamesAndTtlsAreRefusedNamingTheArgument() {
        assertThatThrownBy(() -> issuer.issue("Payments", "sa", Duration.ofHours(1)))
                .hasMessageStartingWith("namespace:");
        assertThatThrownBy(() -> issuer.issue("payments", "sa_1", Duration.ofHours(1)))
                .hasMessageStartingWith("service-account:");
        assertThatThrownBy(() -> issuer.issue("payments", "sa", Duration.ZERO))
                .hasMessageStartingWith("ttl:");
    }
}
