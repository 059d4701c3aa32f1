package io.meshlog.policy.parse;

/**
 * Limits that keep hostile YAML from exhausting the service.
 *
 * @param maxBytes largest input, in UTF-16 code points
 * @param maxDepth deepest nesting of mappings and sequences
 * @param maxAliases most alias references (billion laughs)
 * @param maxDocuments most documents in one input
 */
public record YamlLimits(int maxBytes, int maxDepth, int maxAliases, int maxDocuments) {
    /** 1 MiB, depth 32, 50 aliases, 200 documents. */
    public static final YamlLimits DEFAULT = new YamlLimits(1 << 20, 32, 50, 200);

    public YamlLimits {
        if (maxBytes < 1 || maxDepth < 1 || maxAliases < 0 || maxDocuments < 1) {
            throw new IllegalArgumentException("yaml limits must be positive, but were " + maxBytes + "/"
                    + maxDepth + "/" + maxAliases + "/" + maxDocuments);
        }
    }
}
