package io.meshlog.cert;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.cert.jointoken.JoinTokenClaims;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertServiceMainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void tokenCreatePrintsATokenGrantingTheServiceAccount() throws Exception {
        var code = run("token", "create", "--namespace", "payments", "--service-account",
                "payment-processor", "--ttl", "1h");

        assertThat(code).isZero();
        var token = out.toString(StandardCharsets.UTF_8).trim();
        var claims = JoinTokenClaims.decode(token.substring(0, token.indexOf('.')));
        assertThat(claims.spiffeId()).isEqualTo("spiffe://mesh.test/ns/payments/sa/payment-processor");
        assertThat(claims.expiresAt()).isBetween(Instant.now().plus(Duration.ofMinutes(59)),
                Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("token.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void tokenCreateWithoutTtlExitsOneNamingTheOption() throws Exception {
        var code = run("token", "create", "--namespace", "payments", "--service-account", "p");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--ttl is required");
        assertThat(out.size()).isZero();
    }

    @Test
    void badTtlExitsOneNamingTheValue() throws Exception {
        var code = run("token", "create", "--namespace", "payments", "--service-account", "p", "--ttl", "soon");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--ttl").contains("\"soon\"");
    }

    private int run(String... args) throws InterruptedException {
        var env = Map.of("MESHLOG_CERT_STATE_DIR", dir.toString(), "MESHLOG_TRUST_DOMAIN", "mesh.test");
        return CertServiceMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
