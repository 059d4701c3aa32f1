package io.meshlog.policy.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** Equality label selectors as Kubernetes writes them: {@code app=reviews,version==v2}. */
final class LabelSelector {
    private LabelSelector() {}

    static Map<String, String> parse(String selector) {
        var labels = new LinkedHashMap<String, String>();
        if (selector == null || selector.isBlank()) {
            return labels;
        }
        for (var term : selector.split(",")) {
            var parts = term.split("==?", 2);
            if (parts.length != 2 || parts[0].isBlank()) {
                throw new ApiException(400, "labelSelector must be key=value pairs separated by commas, but had \""
                        + term + "\"");
            }
            labels.put(parts[0].trim(), parts[1].trim());
        }
        return labels;
    }
}
