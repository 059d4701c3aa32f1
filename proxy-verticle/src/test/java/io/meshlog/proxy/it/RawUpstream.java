package io.meshlog.proxy.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A plain-socket HTTP/1.1 server with its own strict parser (no Netty, no Vert.x), so it frames
 * what a proxy forwards independently of the proxy: it records every request it parsed (method,
 * target, header names, body) and every byte sequence it could not parse, and answers each request
 * {@code 200 ok}. A smuggled request shows up here as one request too many; a forwarded hop-by-hop
 * header as a name in {@link Parsed#headerNames()}.
 */
final class RawUpstream implements AutoCloseable {
    /** One request as this server framed it. */
    record Parsed(String method, String target, List<String> headerNames, String body) {}

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        var thread = new Thread(r, "raw-upstream");
        thread.setDaemon(true);
        return thread;
    });
    final ConcurrentLinkedQueue<Parsed> requests = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> garbage = new ConcurrentLinkedQueue<>();

    RawUpstream(int port) throws IOException {
        server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Forgets what was parsed so far. */
    void clear() {
        requests.clear();
        garbage.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                var socket = server.accept();
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; var in = socket.getInputStream(); var out = socket.getOutputStream()) {
            while (true) {
                var head = readHead(in);
                if (head == null) {
                    return;
                }
                var parsed = parse(head, in);
                if (parsed == null) {
                    return;
                }
                requests.add(parsed);
                respond(out);
            }
        } catch (IOException e) {
            // the proxy closed or reset the connection: nothing more to frame
        }
    }

    private static void respond(OutputStream out) throws IOException {
        out.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-type: text/plain\r\n\r\nok"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The head up to CRLFCRLF (bytes as ISO-8859-1), null at a clean end of stream. */
    private String readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() > 0) {
                    garbage.add("truncated head: " + head.toString(StandardCharsets.ISO_8859_1));
                }
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private Parsed parse(String head, InputStream in) throws IOException {
        var lines = head.substring(0, head.length() - 4).split("\r\n", -1);
        var requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || !requestLine[2].matches("HTTP/1\\.[01]")) {
            garbage.add("request line: " + lines[0]);
            return null;
        }
        var names = new ArrayList<String>();
        long length = 0;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0 || lines[i].startsWith(" ") || lines[i].startsWith("\t")) {
                garbage.add("header line: " + lines[i]);
                return null;
            }
            var name = lines[i].substring(0, colon).toLowerCase(Locale.ROOT);
            var value = lines[i].substring(colon + 1).strip();
            names.add(name);
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("transfer-encoding")) {
                chunked = value.equalsIgnoreCase("chunked");
                if (!chunked) {
                    garbage.add("transfer-encoding: " + value);
                    return null;
                }
            }
        }
        var body = chunked ? chunkedBody(in) : new String(in.readNBytes((int) length), StandardCharsets.ISO_8859_1);
        return body == null ? null : new Parsed(requestLine[0], requestLine[1], List.copyOf(names), body);
    }

    private String chunkedBody(InputStream in) throws IOException {
        var body = new ByteArrayOutputStream();
        while (true) {
            var sizeLine = line(in);
            int size;
            try {
                size = Integer.parseInt(sizeLine.split(";", 2)[0].strip(), 16);
            } catch (NumberFormatException e) {
                garbage.add("chunk size: " + sizeLine);
                return null;
            }
            if (size == 0) {
                while (!line(in).isEmpty()) {
                    // trailer fields are not recorded
                }
                return body.toString(StandardCharsets.ISO_8859_1);
            }
            body.write(in.readNBytes(size));
            if (!line(in).isEmpty()) {
                garbage.add("chunk not followed by CRLF");
                return null;
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        return java.util.Objects.requireNonNullElse(HostileCorpus.line(in), "");
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
