package io.meshlog.policy.parse;

import io.meshlog.policy.model.PolicyDocument;
import io.meshlog.policy.validate.Violation;
import java.util.List;
import java.util.Map;

/**
 * One document of an input, bound as far as it could be.
 *
 * @param document the typed document, or null when binding failed
 * @param violations what binding found wrong (empty when {@code document} is usable)
 * @param lines the source line of every path that was read, for later rules
 * @param line the line the document starts on
 * @param label what the document says it is ("DestinationRule shop/reviews"), for messages
 * @param source the document's own text, indented as in the input (line 1 is {@code line})
 */
public record ParsedDocument(
        PolicyDocument document, List<Violation> violations, Map<String, Integer> lines, int line, String label,
        String source) {
    public ParsedDocument {
        violations = List.copyOf(violations);
        lines = Map.copyOf(lines);
    }

    /** The line of {@code path} or of its nearest parent that was read; 0 when none. */
    public int lineOf(String path) {
        var current = path;
        while (!current.isEmpty()) {
            var line = lines.get(current);
            if (line != null) {
                return line;
            }
            var cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
            current = cut < 0 ? "" : current.substring(0, cut);
        }
        return line;
    }
}
