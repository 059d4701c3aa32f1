package io.meshlog.policy.parse;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Small questions about YAML nodes: their line, whether they are null, how to name their type. */
final class Nodes {
    private Nodes() {}

    static int line(Node node) {
        return SafeYaml.line(node.getStartMark());
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    static boolean isScalar(Node node, Tag tag) {
        return node instanceof ScalarNode && tag.equals(node.getTag());
    }

    static String text(Node node) {
        return ((ScalarNode) node).getValue();
    }

    /** "a string", "an integer", "a mapping" ... for "must be X, but was Y" messages. */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        var tag = node.getTag();
        if (Tag.INT.equals(tag)) {
            return "an integer (" + text(node) + ")";
        }
        if (Tag.FLOAT.equals(tag)) {
            return "a number (" + text(node) + ")";
        }
        if (Tag.BOOL.equals(tag)) {
            return "a boolean (" + text(node) + ")";
        }
        if (Tag.NULL.equals(tag)) {
            return "null";
        }
        return "a string (\"" + text(node) + "\")";
    }

    /** Levenshtein distance, for "did you mean" hints. */
    static int distance(String a, String b) {
        var previous = new int[b.length() + 1];
        var current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                var cost = Character.toLowerCase(a.charAt(i - 1)) == Character.toLowerCase(b.charAt(j - 1)) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            var swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
