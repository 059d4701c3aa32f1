package io.meshlog.dev;

import io.meshlog.policy.PolicyService;
import io.meshlog.schemas.auth.BearerToken;
import io.meshlog.policy.config.PolicyServiceConfig;
import io.meshlog.policy.parse.YamlLimits;
import io.meshlog.schemas.topics.TopicCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The policy REST API. Its writer token is made once and kept (mode 0600) in the state
 * directory, so {@code meshctl} can read it and it survives restarts.
 */
final class PolicyServiceComponent implements DevComponent {
    private final Supplier<String> bootstrapServers;
    private final Path tokenFile;
    private final int port;
    private PolicyService service;
    private String token;

    PolicyServiceComponent(Supplier<String> bootstrapServers, Path tokenFile, int port) {
        this.bootstrapServers = bootstrapServers;
        this.tokenFile = tokenFile;
        this.port = port;
    }

    @Override
    public String name() {
        return "policy-service";
    }

    @Override
    public void start() {
        token = loadOrCreateToken();
        var config = new PolicyServiceConfig("127.0.0.1", port, bootstrapServers.get(), TopicCatalogue.standard(),
                List.of(new BearerToken("meshlog-dev", token, true)), false,
                PolicyServiceConfig.DEFAULT_PUBLISH_TIMEOUT, YamlLimits.DEFAULT, Map.of(), false);
        try {
            service = PolicyService.start(config);
        } catch (RuntimeException e) {
            throw new DevStartException("cannot start policy-service on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    private String loadOrCreateToken() {
        try {
            if (Files.exists(tokenFile)) {
                return Files.readString(tokenFile).strip();
            }
            var bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            var fresh = HexFormat.of().formatHex(bytes);
            Files.createDirectories(tokenFile.getParent());
            Files.writeString(tokenFile, fresh + "\n");
            Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
            return fresh;
        } catch (IOException e) {
            throw new DevStartException("cannot keep the policy API token in " + tokenFile + ": " + e.getMessage(), e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + service.port();
    }

    String token() {
        return token;
    }

    @Override
    public List<String> endpoints() {
        return List.of("policy API                " + url() + "/apis/meshlog.io/v1 (token: " + tokenFile + ")");
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
    }
}
