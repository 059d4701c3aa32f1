package io.meshlog.proxy.observability;

/**
 * The request path as telemetry carries it: the origin-form URI without its query string or
 * fragment (a query may carry tokens, and it is not the consumers' business), cut to {@link
 * #MAX_LENGTH} characters so one odd request cannot bloat the topic. Telemetry only: a path has
 * unbounded values and is never a metric label.
 */
public final class TelemetryPath {
    /** The longest path kept. */
    public static final int MAX_LENGTH = 256;

    private TelemetryPath() {}

    /** The path of an origin-form URI ({@code /a/b?q}), or null when there is none. */
    public static String of(String uri) {
        if (uri == null || uri.isEmpty()) {
            return null;
        }
        int end = uri.length();
        int query = uri.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        int fragment = uri.indexOf('#');
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        return uri.substring(0, Math.min(end, MAX_LENGTH));
    }
}
