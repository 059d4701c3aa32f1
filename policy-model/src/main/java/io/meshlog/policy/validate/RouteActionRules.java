package io.meshlog.policy.validate;

import io.meshlog.policy.model.IstioFields;
import io.meshlog.schemas.v1.HeaderOperations;
import io.meshlog.schemas.v1.Headers;
import io.meshlog.schemas.v1.HttpRoute;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of what a VirtualService route does besides forwarding: header operations, rewrite
 * and redirect, with Istio's exclusions (a redirect neither forwards, rewrites nor injects faults).
 */
final class RouteActionRules {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Istio refuses to let routes edit these: the authority is rewrite.authority's job. */
    private static final Set<String> PROTECTED = Set.of("host", ":authority", ":path", ":method", ":scheme", ":status");
    private static final Pattern ENVOY_VARIABLE = Pattern.compile("%[A-Z][A-Z_]*(\\([^)]*\\))?%");
    private static final Set<Integer> REDIRECT_CODES = Set.of(301, 302, 303, 307, 308);

    private RouteActionRules() {}

    static void headers(Headers headers, String path, Checks checks) {
        if (headers == null) {
            return;
        }
        operations(headers.getRequest(), path + ".request", checks);
        operations(headers.getResponse(), path + ".response", checks);
    }

    private static void operations(HeaderOperations ops, String path, Checks checks) {
        if (ops == null) {
            return;
        }
        ops.getSet().forEach((name, value) -> header(name, value, path + ".set", checks));
        ops.getAdd().forEach((name, value) -> header(name, value, path + ".add", checks));
        for (int i = 0; i < ops.getRemove().size(); i++) {
            header(ops.getRemove().get(i), "", path + ".remove[" + i + "]", checks);
        }
    }

    private static void header(String name, String value, String path, Checks checks) {
        var at = path.endsWith("]") ? path : path + "." + name;
        if (!TOKEN.matcher(name).matches()) {
            checks.error(at, "is not a valid header name (letters, digits and !#$%&'*+.^_`|~- only), but was \"" + name + "\"");
        } else if (PROTECTED.contains(name.toLowerCase(Locale.ROOT)) || name.startsWith(":")) {
            checks.error(at, "header \"" + name + "\" cannot be changed by headers operations; use rewrite.authority for the host");
        }
        checks.require(value.indexOf('\r') < 0 && value.indexOf('\n') < 0 && value.indexOf('\0') < 0, at,
                "header values must not contain CR, LF or NUL");
        if (ENVOY_VARIABLE.matcher(value).find()) {
            checks.notEnforced(at, IstioFields.OTHER, "Envoy's %VARIABLE% substitution is not done: the value is sent as written");
        }
    }

    /**
     * The key of sticky weights (a route's stickyWeights, a Canary's sessionAffinity): exactly one
     * of a header name or a cookie name, so the proxy knows which value to hash.
     */
    static void stickyKey(String header, String cookie, String path, Checks checks) {
        if ((header == null) == (cookie == null)) {
            checks.error(path, "needs exactly one of header or cookie (the request value whose hash places the user)");
            return;
        }
        var name = header != null ? header : cookie;
        checks.require(TOKEN.matcher(name).matches(), path + (header != null ? ".header" : ".cookie"),
                "is not a valid " + (header != null ? "header" : "cookie") + " name (letters, digits and "
                        + "!#$%&'*+.^_`|~- only), but was \"" + name + "\"");
    }

    static void rewrite(HttpRoute route, String path, Checks checks) {
        var rewrite = route.getRewrite();
        if (rewrite == null) {
            return;
        }
        var at = path + ".rewrite";
        checks.require(rewrite.getUri() != null || rewrite.getAuthority() != null || rewrite.getUriRegexRewrite() != null,
                at, "must set uri, authority or uriRegexRewrite");
        checks.require(rewrite.getUri() == null || rewrite.getUriRegexRewrite() == null, at + ".uriRegexRewrite",
                "cannot be used together with rewrite.uri: set one of them");
        if (rewrite.getUri() != null) {
            checks.require(!rewrite.getUri().isEmpty() && rewrite.getUri().indexOf('?') < 0 && noControl(rewrite.getUri()),
                    at + ".uri", "must be a non-empty path without '?' or control characters, but was \"" + rewrite.getUri() + "\"");
            for (int m = 0; m < route.getMatch().size(); m++) {
                var uri = route.getMatch().get(m).getUri();
                checks.require(uri == null || uri.getRegex() == null, at + ".uri", "replaces the prefix the uri match "
                        + "matched, but match[" + m + "].uri is a regex: use rewrite.uriRegexRewrite with a regex match");
            }
        }
        if (rewrite.getAuthority() != null) {
            checks.require(!rewrite.getAuthority().isBlank() && noControl(rewrite.getAuthority())
                    && rewrite.getAuthority().indexOf('/') < 0, at + ".authority",
                    "must be a host or host:port, but was \"" + rewrite.getAuthority() + "\"");
        }
        var regex = rewrite.getUriRegexRewrite();
        if (regex != null) {
            checks.require(!regex.getMatch().isEmpty(), at + ".uriRegexRewrite.match", "must not be empty");
            checks.regex(regex.getMatch(), at + ".uriRegexRewrite.match");
            checks.require(noControl(regex.getRewrite()), at + ".uriRegexRewrite.rewrite", "must not contain control characters");
        }
    }

    static void redirect(HttpRoute route, String path, Checks checks) {
        var redirect = route.getRedirect();
        if (redirect == null) {
            return;
        }
        var at = path + ".redirect";
        // Istio's validation: a redirect is the route's whole action
        checks.require(route.getRoute().isEmpty(), at, "cannot be used together with route: "
                + "a route either redirects or forwards (remove route or redirect)");
        checks.require(route.getRewrite() == null, at, "cannot be used together with rewrite");
        checks.require(route.getFault() == null, at, "cannot be used together with fault");
        checks.require(redirect.getUri() != null || redirect.getAuthority() != null || redirect.getScheme() != null
                || redirect.getPort() != null, at, "must set at least one of uri, authority, scheme or port");
        checks.require(REDIRECT_CODES.contains(redirect.getRedirectCode()), at + ".redirectCode",
                "must be one of 301, 302, 303, 307, 308, but was " + redirect.getRedirectCode());
        checks.range(redirect.getPort(), 1, 65535, at + ".port");
        if (redirect.getScheme() != null) {
            checks.require(redirect.getScheme().matches("[a-zA-Z][a-zA-Z0-9+.-]*"), at + ".scheme",
                    "must be a URI scheme such as http or https, but was \"" + redirect.getScheme() + "\"");
        }
        if (redirect.getUri() != null) {
            checks.require(redirect.getUri().startsWith("/") && noControl(redirect.getUri()), at + ".uri",
                    "must be a path starting with '/', but was \"" + redirect.getUri() + "\"");
        }
        if (redirect.getAuthority() != null) {
            checks.require(!redirect.getAuthority().isBlank() && noControl(redirect.getAuthority())
                    && redirect.getAuthority().indexOf('/') < 0, at + ".authority",
                    "must be a host or host:port, but was \"" + redirect.getAuthority() + "\"");
        }
    }

    private static boolean noControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < 0x20 || value.charAt(i) == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
