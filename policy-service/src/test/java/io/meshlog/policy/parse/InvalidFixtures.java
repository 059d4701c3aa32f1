package io.meshlog.policy.parse;

import io.meshlog.policy.validate.SpecValidator;
import io.meshlog.policy.validate.ValidationContext;
import io.meshlog.policy.validate.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The malformed and invalid documents of {@code src/test/resources/invalid/}; the first line of
 * each says what must be reported: {@code # expect: <path> | <message> [| line <n>]}.
 */
public final class InvalidFixtures {
    public static final Path FOLDER = Path.of("src/test/resources/invalid");

    /** One fixture and what it must produce. */
    public record Fixture(Path file, String text, String path, String message, int line) {
        @Override
        public String toString() {
            return file.getFileName().toString();
        }
    }

    private InvalidFixtures() {}

    public static List<Fixture> all() {
        try (Stream<Path> files = Files.list(FOLDER)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(InvalidFixtures::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Fixture read(Path file) {
        try {
            var text = Files.readString(file);
            var header = text.lines().findFirst().orElseThrow().replaceFirst("^# expect: ", "").split("\\|");
            var line = header.length > 2 ? Integer.parseInt(header[2].trim().replace("line ", "")) : 0;
            return new Fixture(file, text, header[0].trim(), header[1].trim(), line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every error the parser and validator report for {@code text} (a parse failure is one error at path ""). */
    public static List<Violation> errors(String text) {
        var parser = new DocumentParser(YamlLimits.DEFAULT);
        var out = new ArrayList<Violation>();
        try {
            for (var parsed : parser.parse(text, "default")) {
                out.addAll(parsed.violations());
                if (parsed.document() != null) {
                    out.addAll(SpecValidator.validate(parsed.document(), parsed::lineOf, ValidationContext.NONE));
                }
            }
        } catch (PolicyParseException e) {
            out.add(Violation.error("", e.line(), e.getMessage()));
        }
        return out.stream().filter(Violation::isError).toList();
    }
}
