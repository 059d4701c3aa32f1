package io.meshlog.proxy.bootstrap;

import io.meshlog.proxy.config.ConfigException;
import io.meshlog.policy.model.PolicyEvents;
import io.meshlog.policy.parse.DocumentParser;
import io.meshlog.policy.parse.ParsedDocument;
import io.meshlog.policy.parse.PolicyParseException;
import io.meshlog.policy.validate.SpecValidator;
import io.meshlog.policy.validate.ValidationContext;
import io.meshlog.policy.validate.Violation;
import io.meshlog.schemas.serde.MeshSerdes;
import io.meshlog.schemas.v1.PolicyEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The policies of a static bootstrap, read by the same parser and validator as the policy API and
 * {@code meshctl apply -f}: Istio-shaped documents (apiVersion, kind, metadata, spec) after the
 * settings document, and the files named in {@code policyFiles}. Any error refuses the whole
 * bootstrap, every error at once; warnings (fields accepted but not enforced) are returned.
 */
final class BootstrapPolicies {
    /** The namespace of documents that name none, as in Istio and meshctl. */
    static final String DEFAULT_NAMESPACE = "default";

    static {
        MeshSerdes.policyEvent(); // installs Avro's class trust for io.meshlog.schemas.v1
    }

    private final DocumentParser parser;
    private final List<PolicyEvent> events = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    BootstrapPolicies(DocumentParser parser) {
        this.parser = parser;
    }

    /** Adds one parsed document found in {@code source}. */
    void add(ParsedDocument parsed, String source) {
        var violations = new ArrayList<>(parsed.violations());
        if (parsed.document() != null) {
            violations.addAll(SpecValidator.validate(parsed.document(), parsed::lineOf, ValidationContext.NONE));
        }
        for (var v : violations) {
            var line = v.line() > 0 ? ":" + v.line() : "";
            (v.isError() ? errors : warnings).add(source + line + " " + parsed.label() + " " + v.path() + ": " + v.message());
        }
        if (parsed.document() != null && violations.stream().noneMatch(Violation::isError)) {
            var generation = parsed.document().generation() == null ? 1L : parsed.document().generation();
            events.add(PolicyEvents.event(parsed.document(), generation, "bootstrap", Instant.EPOCH));
        }
    }

    /** Adds every document of a file, or of every .yaml/.yml/.json file of a directory (sorted). */
    void addFile(Path file, String path) {
        for (var each : files(file, path)) {
            String text;
            try {
                text = Files.readString(each);
            } catch (IOException e) {
                throw new ConfigException(path, "cannot read " + each + ": " + e.getMessage(), e);
            }
            try {
                parser.parse(text, DEFAULT_NAMESPACE).forEach(p -> add(p, each.toString()));
            } catch (PolicyParseException e) {
                errors.add(each + (e.line() > 0 ? ":" + e.line() : "") + " " + e.getMessage());
            }
        }
    }

    private static List<Path> files(Path file, String path) {
        if (!Files.isDirectory(file)) {
            ConfigException.require(Files.isRegularFile(file), path, "names " + file + ", which does not exist");
            return List.of(file);
        }
        try (Stream<Path> list = Files.list(file)) {
            return list.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(path, "cannot list " + file + ": " + e.getMessage(), e);
        }
    }

    /** The events of every document; throws naming every error when there was one. */
    List<PolicyEvent> events() {
        if (!errors.isEmpty()) {
            throw new ConfigException("policies", errors.size() + " error(s):\n  " + String.join("\n  ", errors));
        }
        return List.copyOf(events);
    }

    /** What was accepted but is not enforced, one line each. */
    List<String> warnings() {
        return List.copyOf(warnings);
    }
}
