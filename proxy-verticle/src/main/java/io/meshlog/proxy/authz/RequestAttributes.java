package io.meshlog.proxy.authz;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What authorization looks at in one inbound request. The source fields come from the verified
 * peer certificate only (never from a header); both are "" on a plaintext connection.
 *
 * @param sourcePrincipal the peer's SPIFFE id ({@code spiffe://td/ns/x/sa/y}) or principal form
 *     ({@code td/ns/x/sa/y}), or ""
 * @param sourceNamespace the peer's namespace, or ""
 * @param workloadNamespace the namespace of the workload being called
 * @param workloadLabels the labels of the workload being called (policy selectors match them)
 * @param host the Host / :authority header
 * @param method the HTTP method
 * @param path the request path (without the query)
 * @param port the inbound port the request arrived on
 * @param headers request headers, names case-insensitive (stored lowercase)
 */
public record RequestAttributes(
        String sourcePrincipal,
        String sourceNamespace,
        String workloadNamespace,
        Map<String, String> workloadLabels,
        String host,
        String method,
        String path,
        int port,
        Map<String, List<String>> headers) {

    public RequestAttributes {
        sourcePrincipal = sourcePrincipal == null ? "" : sourcePrincipal;
        sourceNamespace = sourceNamespace == null ? "" : sourceNamespace;
        Objects.requireNonNull(workloadNamespace, "workloadNamespace");
        workloadLabels = workloadLabels == null ? Map.of() : Map.copyOf(workloadLabels);
        host = host == null ? "" : host;
        method = method == null ? "" : method;
        path = path == null ? "" : path;
        var lower = new HashMap<String, List<String>>();
        if (headers != null) {
            headers.forEach((name, values) -> lower.merge(name.toLowerCase(Locale.ROOT), List.copyOf(values),
                    (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList()));
        }
        headers = Map.copyOf(lower);
    }

    /** The values of header {@code name} (any case), empty when absent. */
    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
}
