package io.meshlog.policy.cli;

import io.meshlog.policy.parse.DocumentParser;
import io.meshlog.policy.parse.ParsedDocument;
import io.meshlog.policy.parse.PolicyParseException;
import io.meshlog.policy.parse.YamlLimits;
import io.meshlog.policy.validate.SpecValidator;
import io.meshlog.policy.validate.ValidationContext;
import io.meshlog.policy.validate.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads {@code -f FILE|DIR|-} into parsed documents, each knowing its file. */
final class InputFiles {
    /** A document and where it came from. */
    record Source(String file, ParsedDocument parsed) {
        String where() {
            return file + ":" + parsed.line();
        }
    }

    private InputFiles() {}

    static List<Source> read(List<String> inputs, String namespace, java.io.InputStream stdin) {
        var parser = new DocumentParser(YamlLimits.DEFAULT);
        var out = new ArrayList<Source>();
        for (var input : inputs) {
            for (var file : files(input)) {
                var text = text(file, stdin);
                try {
                    parser.parse(text, namespace).forEach(p -> out.add(new Source(file, p)));
                } catch (PolicyParseException e) {
                    throw new CliException("error: " + file + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage());
                }
            }
        }
        return out;
    }

    /** Every local error and warning of {@code source} (types, then rules that need no server). */
    static List<Violation> check(Source source) {
        var violations = new ArrayList<>(source.parsed().violations());
        if (source.parsed().document() != null) {
            violations.addAll(SpecValidator.validate(source.parsed().document(), source.parsed()::lineOf,
                    ValidationContext.NONE));
        }
        return violations;
    }

    private static List<String> files(String input) {
        if ("-".equals(input)) {
            return List.of("-");
        }
        var path = Path.of(input);
        if (Files.isDirectory(path)) {
            try (Stream<Path> list = Files.list(path)) {
                return list.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().map(Path::toString).toList();
            } catch (IOException e) {
                throw new CliException("error: cannot list " + input + ": " + e.getMessage(), List.of(), 2);
            }
        }
        if (!Files.isRegularFile(path)) {
            throw new CliException("error: " + input + " does not exist", List.of(), 2);
        }
        return List.of(input);
    }

    private static String text(String file, java.io.InputStream stdin) {
        try {
            return "-".equals(file) ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new CliException("error: cannot read " + file + ": " + e.getMessage());
        }
    }
}
