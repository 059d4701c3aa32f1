package io.meshlog.policy.parse;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML node tree as plain values (ordered {@code Map<String, Object>}, {@code List}, {@code
 * String}, {@code Long}, {@code Double}, {@code Boolean}, null), for settings files that are not
 * policy documents (the proxy's static bootstrap): the same YAML reader, without a schema.
 */
public final class YamlValues {
    private YamlValues() {}

    /** The plain value of {@code node}; keys that are not strings are refused. */
    public static Object of(Node node) {
        if (node instanceof MappingNode mapping) {
            var out = new LinkedHashMap<String, Object>();
            for (var tuple : mapping.getValue()) {
                if (!Nodes.isScalar(tuple.getKeyNode(), Tag.STR)) {
                    throw new PolicyParseException("keys must be strings, but found "
                            + Nodes.describe(tuple.getKeyNode()), Nodes.line(tuple.getKeyNode()));
                }
                out.put(Nodes.text(tuple.getKeyNode()), of(tuple.getValueNode()));
            }
            return out;
        }
        if (node instanceof SequenceNode sequence) {
            var out = new ArrayList<Object>();
            sequence.getValue().forEach(item -> out.add(of(item)));
            return out;
        }
        var tag = node.getTag();
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        var text = Nodes.text(node);
        if (Tag.INT.equals(tag)) {
            return new BigDecimal(text.replace("_", "")).longValueExact();
        }
        if (Tag.FLOAT.equals(tag)) {
            return Double.parseDouble(text.replace("_", ""));
        }
        if (Tag.BOOL.equals(tag)) {
            return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
        }
        return text;
    }

    /** The line {@code node} starts on (1-based). */
    public static int line(Node node) {
        return Nodes.line(node);
    }
}
