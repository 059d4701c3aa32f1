package io.meshlog.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SpiffeIdAndProofTest {
    @Test
    void spiffeIdParsesNamespaceAndServiceAccount() {
        var id = SpiffeId.parse("spiffe://cluster.local/ns/payments/sa/payment-processor");

        assertThat(id.namespace()).isEqualTo("payments");
        assertThat(id.serviceAccount()).isEqualTo("payment-processor");
        assertThat(id.principal()).isEqualTo("cluster.local/ns/payments/sa/payment-processor");
        assertThatThrownBy(() -> SpiffeId.parse("spiffe://cluster.local/payments"))
                .hasMessageContaining("'spiffe://cluster.local/payments'");
    }

    @Test
    void proofDependsOnTheCsrAndTheTokenSignatureNeverAppearsInClaims() {
        var token = Base64.getUrlEncoder().withoutPadding().encodeToString("claims".getBytes(StandardCharsets.UTF_8))
                + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);

        var one = JoinTokenProof.proof(token, new byte[] {1});
        var two = JoinTokenProof.proof(token, new byte[] {2});

        assertThat(one).isNotEqualTo(two);
        assertThat(JoinTokenProof.claims(token)).doesNotContain(".");
        assertThatThrownBy(() -> JoinTokenProof.claims("no-dot")).hasMessageContaining("<claims>.<signature>");
    }

    @Test
    void csrIsDerThatTheJdkSignatureVerifies() throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var keys = generator.generateKeyPair();

        var csr = CsrBuilder.build(keys, "spiffe://cluster.local/ns/a/sa/b");

        assertThat(csr.der()[0]).isEqualTo((byte) 0x30);
        assertThat(csr.pem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----\n")
                .contains(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(csr.der()).substring(0, 40));
        assertThat(new String(csr.der(), StandardCharsets.ISO_8859_1)).contains("spiffe://cluster.local/ns/a/sa/b");
    }
}
