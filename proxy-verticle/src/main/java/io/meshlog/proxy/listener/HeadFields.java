package io.meshlog.proxy.listener;

import io.meshlog.proxy.config.HttpLimits;

import java.util.Locale;

/**
 * The request line and the header fields of one request head, checked as RFC 9112 and RFC 9110
 * require of a server: field names are tokens, values are visible bytes, space or tab; exactly one
 * {@code Host} (HTTP/1.1); at most one well-formed {@code Content-Length}; {@code Transfer-Encoding}
 * only in HTTP/1.1, never with a length, and exactly {@code chunked} (other codings are not
 * implemented: 501); {@code Upgrade} refused (403, as Envoy does for upgrades it is not configured
 * for) unless it only offers h2c, which is ignored as RFC 9110 §7.8 allows: the request is served
 * as HTTP/1.1 and the hop-by-hop {@code Upgrade} is not forwarded.
 */
final class HeadFields {
    private final HttpLimits limits;
    private boolean http10;
    private boolean optionsMethod;
    private int fields;
    private int hosts;
    private int contentLengths;
    private long contentLength;
    private boolean badContentLength;
    private boolean badHost;
    private boolean transferEncoding;
    private int chunkedCount;
    private boolean lastChunked;
    private boolean unsupportedCoding;
    private String upgrade;

    HeadFields(HttpLimits limits) {
        this.limits = limits;
    }

    void reset() {
        http10 = optionsMethod = badContentLength = badHost = transferEncoding = lastChunked = false;
        unsupportedCoding = false;
        fields = hosts = contentLengths = chunkedCount = 0;
        contentLength = 0;
        upgrade = null;
    }

    /** {@code method SP request-target SP HTTP-version}, single spaces, nothing else. */
    Rejection requestLine(LineBuffer line) {
        int n = line.length();
        int firstSpace = -1;
        int secondSpace = -1;
        for (int i = 0; i < n; i++) {
            byte b = line.byteAt(i);
            if (b == ' ') {
                if (firstSpace < 0) {
                    firstSpace = i;
                } else if (secondSpace < 0) {
                    secondSpace = i;
                } else {
                    return Rejection.BAD_REQUEST_LINE;
                }
            } else if (firstSpace < 0 ? !token(b) : (b & 0xff) <= 0x20 || b == 0x7f || (b & 0x80) != 0) {
                return Rejection.BAD_REQUEST_LINE;
            }
        }
        if (firstSpace <= 0 || secondSpace <= firstSpace + 1) {
            return Rejection.BAD_REQUEST_LINE;
        }
        if (secondSpace - firstSpace - 1 > limits.maxUriBytes()) {
            return Rejection.URI_TOO_LONG;
        }
        optionsMethod = line.equalsIgnoreCase(0, firstSpace, "options") && line.byteAt(0) == 'O';
        var target = line.ascii(firstSpace + 1, secondSpace);
        if (!target.startsWith("/") && !target.startsWith("http://") && !target.startsWith("https://")
                && !(optionsMethod && target.equals("*"))) {
            return Rejection.BAD_REQUEST_LINE;
        }
        var version = line.ascii(secondSpace + 1, n);
        if (version.equals("HTTP/1.1")) {
            return null;
        }
        if (version.equals("HTTP/1.0")) {
            http10 = true;
            return null;
        }
        return version.matches("HTTP/[0-9]\\.[0-9]") ? Rejection.UNSUPPORTED_VERSION : Rejection.BAD_REQUEST_LINE;
    }

    /** One {@code field-name ":" OWS field-value OWS} line of the head. */
    Rejection field(LineBuffer line) {
        if (++fields > limits.maxHeaders()) {
            return Rejection.TOO_MANY_HEADERS;
        }
        var refused = checkField(line);
        if (refused != null) {
            return refused;
        }
        int colon = indexOf(line, (byte) ':');
        int from = colon + 1;
        int to = line.length();
        while (from < to && ows(line.byteAt(from))) {
            from++;
        }
        while (to > from && ows(line.byteAt(to - 1))) {
            to--;
        }
        if (line.equalsIgnoreCase(0, colon, "host")) {
            hosts++;
            badHost |= !hostValue(line, from, to);
        } else if (line.equalsIgnoreCase(0, colon, "content-length")) {
            contentLengths++;
            contentLength = digits(line, from, to);
            badContentLength |= contentLength < 0;
        } else if (line.equalsIgnoreCase(0, colon, "transfer-encoding")) {
            transferEncoding = true;
            codings(line.ascii(from, to));
        } else if (line.equalsIgnoreCase(0, colon, "upgrade")) {
            upgrade = upgrade == null ? line.ascii(from, to) : upgrade + "," + line.ascii(from, to);
        }
        return null;
    }

    /** Syntax of any field line (head or trailer): a token name right before the colon, a clean value. */
    static Rejection checkField(LineBuffer line) {
        byte first = line.byteAt(0);
        if (first == ' ' || first == '\t') {
            return Rejection.OBS_FOLD;
        }
        int colon = indexOf(line, (byte) ':');
        if (colon <= 0) {
            return Rejection.BAD_FIELD_NAME;
        }
        for (int i = 0; i < colon; i++) {
            if (!token(line.byteAt(i))) {
                return Rejection.BAD_FIELD_NAME;
            }
        }
        for (int i = colon + 1; i < line.length(); i++) {
            int c = line.byteAt(i) & 0xff;
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return Rejection.BAD_FIELD_VALUE;
            }
        }
        return null;
    }

    /** What the whole head says, once its empty line arrived; null when the request may go on. */
    Rejection validate() {
        if (hosts > 1) {
            return Rejection.MULTIPLE_HOST;
        }
        if (hosts == 0 && !http10 || badHost) {
            return hosts == 0 ? Rejection.MISSING_HOST : Rejection.BAD_FIELD_VALUE;
        }
        if (transferEncoding) {
            if (http10) {
                return Rejection.TRANSFER_ENCODING_IN_HTTP10;
            }
            if (contentLengths > 0) {
                return Rejection.TRANSFER_ENCODING_WITH_CONTENT_LENGTH;
            }
            if (unsupportedCoding) {
                return Rejection.UNSUPPORTED_TRANSFER_CODING;
            }
            if (chunkedCount != 1 || !lastChunked) {
                return Rejection.BAD_TRANSFER_ENCODING;
            }
        }
        if (contentLengths > 1) {
            return Rejection.MULTIPLE_CONTENT_LENGTH;
        }
        if (badContentLength) {
            return Rejection.BAD_CONTENT_LENGTH;
        }
        if (upgrade != null) {
            if (!upgrade.strip().equalsIgnoreCase("h2c")) {
                return Rejection.UPGRADE_REFUSED;
            }
        }
        return null;
    }

    boolean chunked() {
        return transferEncoding;
    }

    long contentLength() {
        return contentLength;
    }

    private void codings(String value) {
        for (var element : value.split(",", -1)) {
            var coding = element.strip().toLowerCase(Locale.ROOT);
            if (coding.isEmpty()) {
                continue; // RFC 9110 §5.6.1: empty list elements do not count
            }
            boolean chunked = coding.equals("chunked");
            chunkedCount += chunked ? 1 : 0;
            unsupportedCoding |= !chunked;
            lastChunked = chunked;
        }
    }

    /** {@code 1*DIGIT}, at most 18 digits; -1 for anything else (sign, list, hex, spaces inside). */
    private static long digits(LineBuffer line, int from, int to) {
        if (to == from || to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            byte b = line.byteAt(i);
            if (b < '0' || b > '9') {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    /** RFC 3986 {@code uri-host [ ":" port ]} bytes only: no space, comma, slash or {@code @} (empty is allowed). */
    private static boolean hostValue(LineBuffer line, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = line.byteAt(i);
            boolean ok = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
                    || "._~%!$&'()*+;=[]:-".indexOf(b) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(LineBuffer line, byte wanted) {
        for (int i = 0; i < line.length(); i++) {
            if (line.byteAt(i) == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean ows(byte b) {
        return b == ' ' || b == '\t';
    }

    /** RFC 9110 §5.6.2 tchar. */
    static boolean token(byte b) {
        if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
            return true;
        }
        return switch (b) {
            case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
            default -> false;
        };
    }
}
