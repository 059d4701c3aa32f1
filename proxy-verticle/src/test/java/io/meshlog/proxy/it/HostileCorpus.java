package io.meshlog.proxy.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hostile-request corpus ({@code src/test/resources/hostile-http/corpus.txt}) and the check of
 * one entry against a proxy in front of a {@link RawUpstream}. Used by {@code HostileRequestsIT}
 * (strict: the exact statuses) and by {@code bench/proxy-bench.sh} through {@link #main} (meshlog
 * and nginx on the same corpus; {@code --safe} counts any refusal of a refused request as a pass).
 *
 * <p>Format: an entry starts with {@code === name}, then {@code key: value} lines ({@code class},
 * {@code expect} — the statuses, in order, of the responses on the connection —, {@code forbid} —
 * header names the upstream must never see —, {@code body} — what the upstream must get as the first
 * request's body —, {@code listener}: {@code outbound}, {@code inbound} or {@code both}), then
 * {@code ---} and the raw request. In the raw part line breaks of the file are ignored; {@code \r},
 * {@code \n}, {@code \t}, {@code \xHH} and {@code \\} are escapes, {@code {host}} is the routed
 * host and {@code {N*text}} repeats text N times.
 */
final class HostileCorpus {
    static final String RESOURCE = "/hostile-http/corpus.txt";
    /** Hop-by-hop headers no proxy may forward as received (a proxy's own {@code connection} is allowed). */
    static final Set<String> HOP_BY_HOP = Set.of("keep-alive", "proxy-connection", "te", "trailer", "upgrade",
            "proxy-authorization", "http2-settings");
    /** Recorded for a reply that is not an HTTP/1.x response. */
    static final int NOT_HTTP = 999;
    private static final Pattern REPEAT = Pattern.compile("\\{(\\d+)\\*([^}]*)}");

    /** One hostile request and what a conformant proxy does with it. */
    record Entry(String name, String kind, List<Integer> expect, Set<String> forbid, String body, String listener,
            String raw) {
        boolean refused() {
            return expect.size() == 1 && expect.get(0) >= 300;
        }

        long forwarded() {
            return expect.stream().filter(s -> s < 300).count();
        }

        byte[] bytes(String host) {
            return decode(expand(raw.replace("{host}", host)));
        }

        @Override
        public String toString() {
            return name + " [" + kind + "]";
        }
    }

    private HostileCorpus() {}

    static List<Entry> load() {
        try (var in = HostileCorpus.class.getResourceAsStream(RESOURCE)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Entry> parse(String text) {
        var entries = new ArrayList<Entry>();
        for (var block : text.split("(?m)^=== ")) {
            if (block.isBlank() || block.startsWith("#")) {
                continue;
            }
            var parts = block.split("(?m)^---\\s*$", 2);
            var meta = parts[0].lines().toList();
            String kind = "", body = null, listener = "both";
            List<Integer> expect = List.of();
            Set<String> forbid = Set.of();
            for (var line : meta.subList(1, meta.size())) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                var value = line.substring(colon + 1).strip();
                switch (line.substring(0, colon).strip()) {
                    case "class" -> kind = value;
                    case "expect" -> expect = Arrays.stream(value.split("\\s+")).map(Integer::valueOf).toList();
                    case "forbid" -> forbid = Set.of(value.toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
                    case "body" -> body = value;
                    case "listener" -> listener = value;
                    default -> throw new IllegalArgumentException("corpus: unknown key in " + meta.get(0) + ": " + line);
                }
            }
            var raw = parts[1].lines().filter(l -> !l.startsWith("#")).reduce("", String::concat);
            entries.add(new Entry(meta.get(0).strip(), kind, expect, forbid, body, listener, raw));
        }
        return entries;
    }

    /**
     * Sends {@code entry} on a new connection to {@code port} and checks the replies and what the
     * upstream parsed; an empty list is a pass.
     *
     * @param strict the exact statuses and a closed connection after a refusal; otherwise any
     *     status of 300 or more counts as a refusal
     */
    static List<String> check(Entry entry, int port, String host, RawUpstream upstream, boolean strict) {
        upstream.clear();
        var failures = new ArrayList<String>();
        List<Integer> statuses;
        boolean closed;
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(entry.bytes(host));
            socket.getOutputStream().flush();
            var in = new BufferedInputStream(socket.getInputStream());
            statuses = new ArrayList<>();
            closed = readResponses(in, entry.refused() ? 1 : entry.expect().size(), statuses);
            if (entry.refused() && !closed) {
                closed = in.read() < 0;
            }
        } catch (IOException e) {
            failures.add("connection: " + e);
            return failures;
        }
        if (strict ? !statuses.equals(entry.expect()) : !sameOutcome(statuses, entry.expect())) {
            failures.add("statuses " + statuses + ", expected " + entry.expect());
        }
        if (strict && entry.refused() && !closed) {
            failures.add("connection left open after a refusal");
        }
        if (upstream.requests.size() != entry.forwarded()) {
            failures.add("upstream parsed " + upstream.requests.size() + " requests, expected " + entry.forwarded()
                    + ": " + upstream.requests);
        }
        if (!upstream.garbage.isEmpty()) {
            failures.add("upstream could not frame: " + upstream.garbage);
        }
        for (var parsed : upstream.requests) {
            for (var name : parsed.headerNames()) {
                if (HOP_BY_HOP.contains(name) || entry.forbid().contains(name)) {
                    failures.add("upstream got hop-by-hop or forbidden header " + name);
                }
            }
        }
        var first = upstream.requests.peek();
        if (entry.body() != null && (first == null || !entry.body().equals(first.body()))) {
            failures.add("upstream body " + (first == null ? null : first.body()) + ", expected " + entry.body());
        }
        if (!alive(port, host)) {
            failures.add("proxy no longer answers a plain GET");
        }
        return failures;
    }

    private static boolean sameOutcome(List<Integer> got, List<Integer> expected) {
        if (got.size() != expected.size()) {
            return false;
        }
        for (int i = 0; i < got.size(); i++) {
            if ((got.get(i) < 300) != (expected.get(i) < 300)) {
                return false;
            }
        }
        return true;
    }

    private static boolean alive(int port, String host) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /alive HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            var statuses = new ArrayList<Integer>();
            readResponses(new BufferedInputStream(socket.getInputStream()), 1, statuses);
            return statuses.equals(List.of(200));
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads up to {@code count} responses; true when the connection was closed. */
    private static boolean readResponses(InputStream in, int count, List<Integer> statuses) throws IOException {
        try {
            for (int i = 0; i < count; i++) {
                var status = line(in);
                if (status == null) {
                    return true;
                }
                var parts = status.split(" ");
                if (!status.startsWith("HTTP/1.") || parts.length < 2 || !parts[1].matches("\\d{3}")) {
                    statuses.add(NOT_HTTP); // e.g. an HTTP/0.9 answer: not an HTTP/1.x response at all
                    in.readAllBytes();
                    return true;
                }
                statuses.add(Integer.parseInt(parts[1]));
                long length = -1;
                boolean chunked = false;
                String header;
                while ((header = line(in)) != null && !header.isEmpty()) {
                    var lower = header.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Long.parseLong(lower.substring(15).strip());
                    } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        chunked = true;
                    }
                }
                if (chunked) {
                    String size;
                    while ((size = line(in)) != null && Integer.parseInt(size.split(";")[0].strip(), 16) > 0) {
                        in.readNBytes(Integer.parseInt(size.split(";")[0].strip(), 16) + 2);
                    }
                    line(in);
                } else if (length >= 0) {
                    in.readNBytes((int) length);
                } else {
                    in.readAllBytes();
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** One line without its CR LF; null at the end of the stream. */
    static String line(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String expand(String raw) {
        Matcher m = REPEAT.matcher(raw);
        var out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2).repeat(Integer.parseInt(m.group(1)))));
        }
        return m.appendTail(out).toString();
    }

    private static byte[] decode(String raw) {
        var out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 == raw.length()) {
                out.write(c);
                continue;
            }
            char next = raw.charAt(++i);
            switch (next) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'x' -> {
                    out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> out.write(next);
            }
        }
        return out.toByteArray();
    }

    /**
     * The bench's differential run: {@code HostileCorpus --target 127.0.0.1:PORT --upstream-port P
     * [--host orders] [--label nginx] [--listener outbound|inbound]}; starts the raw upstream on P
     * (the proxy under test forwards to it) and prints strict and safe pass counts.
     */
    public static void main(String[] args) throws Exception {
        var options = new java.util.HashMap<String, String>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int port = Integer.parseInt(options.get("--target").split(":")[1]);
        var host = options.getOrDefault("--host", "orders");
        var listener = options.getOrDefault("--listener", "outbound");
        int strict = 0;
        int safe = 0;
        var failing = new ArrayList<String>();
        var entries = load().stream().filter(e -> e.listener().equals("both") || e.listener().equals(listener)).toList();
        try (var upstream = new RawUpstream(Integer.parseInt(options.get("--upstream-port")))) {
            for (var entry : entries) {
                boolean strictPass = check(entry, port, host, upstream, true).isEmpty();
                strict += strictPass ? 1 : 0;
                var safeFailures = check(entry, port, host, upstream, false);
                safe += safeFailures.isEmpty() ? 1 : 0;
                if (!safeFailures.isEmpty()) {
                    failing.add(entry.name());
                }
            }
        }
        var out = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        out.printf("hostile_corpus target=%s entries=%d strict_pass=%d safe_pass=%d unsafe=%s%n",
                options.getOrDefault("--label", "proxy"), entries.size(), strict, safe, failing);
    }
}
