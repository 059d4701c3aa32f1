package io.meshlog.proxy.route;

/**
 * Istio's HTTPRedirect, answered by the proxy: {@code Location} is the request's URL with the
 * given parts replaced. {@code uri} replaces the whole path (and the query too when it has one,
 * else the query is kept, as Envoy's path_redirect does); a port is written only when one is set
 * or the original authority had one and the scheme stays.
 *
 * @param uri the new path, or null
 * @param authority the new host or host:port, or null
 * @param scheme the new scheme, or null (the request's: http)
 * @param port the new port, or 0
 * @param code the status (301, 302, 303, 307 or 308)
 */
public record Redirect(String uri, String authority, String scheme, int port, int code) {
    /**
     * The Location for a request.
     *
     * @param requestAuthority the Host / :authority the request carried ({@code host[:port]})
     * @param requestUri the request's path and query
     */
    public String location(String requestAuthority, String requestUri) {
        var targetScheme = scheme != null ? scheme : "http";
        var hostPort = authority != null ? authority : (requestAuthority == null ? "" : requestAuthority);
        var host = host(hostPort);
        var keptPort = hostPort.length() > host.length() ? hostPort.substring(host.length() + 1) : null;
        if (authority == null && scheme != null && !"http".equalsIgnoreCase(scheme)) {
            keptPort = null; // a new scheme has its own default port
        }
        var portPart = port > 0 ? ":" + port : keptPort != null ? ":" + keptPort : "";
        return targetScheme + "://" + host + portPart + path(requestUri);
    }

    private String path(String requestUri) {
        if (uri == null) {
            return requestUri;
        }
        if (uri.indexOf('?') >= 0) {
            return uri;
        }
        int q = requestUri.indexOf('?');
        return q < 0 ? uri : uri + requestUri.substring(q);
    }

    /** The host of {@code host[:port]}, IPv6 literals kept in brackets. */
    private static String host(String hostPort) {
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            return end < 0 ? hostPort : hostPort.substring(0, end + 1);
        }
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }
}
