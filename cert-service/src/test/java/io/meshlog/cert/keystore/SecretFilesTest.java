package io.meshlog.cert.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.cert.ca.CaLoader;
import io.meshlog.cert.config.CertServiceConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {
    @TempDir
    Path dir;

    @Test
    void createdCaKeyIsMode0600AndTheSameRootLoadsOnRestart() throws Exception {
        var config = config(Optional.empty());

        var first = CaLoader.loadOrCreate(config, new CaStateDirectory(dir), Clock.systemUTC());
        var second = CaLoader.loadOrCreate(config, new CaStateDirectory(dir), Clock.systemUTC());

        var keyFile = dir.resolve("current-ca.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Files.readString(keyFile)).contains("PRIVATE KEY");
        assertThat(second.root()).isEqualTo(first.root());
        assertThat(first.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void keyFileReadableByOthersIsRefusedWithTheFix() throws Exception {
        var config = config(Optional.empty());
        CaLoader.loadOrCreate(config, new CaStateDirectory(dir), Clock.systemUTC());
        var keyFile = dir.resolve("current-ca.key");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> CaLoader.loadOrCreate(config, new CaStateDirectory(dir), Clock.systemUTC()))
                .isInstanceOf(InsecureKeyFileException.class)
                .hasMessageContaining(keyFile.toString())
                .hasMessageContaining("rw-r--r--")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void suppliedCaKeyWithMode0644IsRefusedAndWith0600IsUsed() throws Exception {
        var ca = io.meshlog.cert.ca.CaCertificates.newRoot("cluster.local", "supplied", Clock.systemUTC());
        var certFile = dir.resolve("supplied.pem");
        var keyFile = dir.resolve("supplied.key");
        Files.writeString(certFile, Pem.encode(ca.root()));
        Files.writeString(keyFile, Pem.encode(ca.key()), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        var config = config(Optional.of(new CertServiceConfig.SuppliedCa(certFile, keyFile, Optional.empty())));
        var state = new CaStateDirectory(dir.resolve("state"));

        assertThatThrownBy(() -> CaLoader.loadOrCreate(config, state, Clock.systemUTC()))
                .isInstanceOf(InsecureKeyFileException.class).hasMessageContaining("0600");

        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        assertThat(CaLoader.loadOrCreate(config, state, Clock.systemUTC()).root()).isEqualTo(ca.root());
    }

    @Test
    void secretWriteNeverLeavesAReadableFile() throws Exception {
        var file = dir.resolve("token.key");
        SecretFiles.write(file, "secret".getBytes(StandardCharsets.US_ASCII));
        SecretFiles.write(file, "secret2".getBytes(StandardCharsets.US_ASCII));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(new String(SecretFiles.read(file), StandardCharsets.US_ASCII)).isEqualTo("secret2");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    private CertServiceConfig config(Optional<CertServiceConfig.SuppliedCa> supplied) {
        return new CertServiceConfig("cluster.local", dir, null, null,
                Map.of("bootstrap.servers", "127.0.0.1:1"), (short) 1, -1, null, supplied);
    }
}
