package io.meshlog.proxy.route;

import java.util.regex.Pattern;

/**
 * Istio's HTTPRewrite: {@code uri} replaces the part of the path the route's uri match matched (a
 * prefix match: that prefix; an exact match: the whole path; no uri match: the leading "/"), as
 * Envoy's prefix_rewrite does; {@code uriRegexRewrite} replaces every match of its pattern in the
 * path; the query string is kept either way. {@code authority} replaces Host / :authority.
 *
 * @param uri the prefix replacement, or null
 * @param pattern the regex of uriRegexRewrite, or null
 * @param replacement its replacement in Java syntax ({@code $1}), or null
 * @param authority the new authority, or null
 */
public record Rewrite(String uri, Pattern pattern, String replacement, String authority) {
    /** Converts RE2/Envoy group references ({@code \1}) into Java's ({@code $1}); a literal $ is escaped. */
    public static String javaReplacement(String re2) {
        var out = new StringBuilder(re2.length() + 4);
        for (int i = 0; i < re2.length(); i++) {
            char c = re2.charAt(i);
            if (c == '\\' && i + 1 < re2.length() && Character.isDigit(re2.charAt(i + 1))) {
                out.append('$').append(re2.charAt(++i));
            } else if (c == '$' && i + 1 < re2.length() && Character.isDigit(re2.charAt(i + 1))) {
                out.append('$'); // Istio users may already write $1
            } else if (c == '$' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The path and query to send upstream.
     *
     * @param uri the request's path and query
     * @param matched the match that selected the route (its uri matcher decides the prefix), or null
     */
    public String apply(String uri, RequestMatch matched) {
        if (this.uri == null && pattern == null) {
            return uri;
        }
        int q = uri.indexOf('?');
        var path = q < 0 ? uri : uri.substring(0, q);
        var query = q < 0 ? "" : uri.substring(q);
        if (pattern != null) {
            return pattern.matcher(path).replaceAll(replacement) + query;
        }
        var matcher = matched == null ? null : matched.uri();
        int replaced;
        if (matcher instanceof StringMatcher.Prefix prefix) {
            replaced = Math.min(prefix.prefix().length(), path.length());
        } else if (matcher instanceof StringMatcher.Exact || matcher instanceof StringMatcher.Regex) {
            replaced = path.length();
        } else {
            replaced = path.startsWith("/") ? 1 : 0;
        }
        return this.uri + path.substring(replaced) + query;
    }
}
