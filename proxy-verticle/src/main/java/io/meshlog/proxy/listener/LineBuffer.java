package io.meshlog.proxy.listener;

import java.nio.charset.StandardCharsets;

/** The bytes of the line being read, reused across lines; grows up to a bound the caller enforces. */
final class LineBuffer {
    private byte[] bytes = new byte[256];
    private int length;
    private final int max;

    LineBuffer(int max) {
        this.max = max;
    }

    void append(byte b) {
        if (length == bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, Math.min(Math.max(bytes.length * 2, 256), max + 64));
        }
        bytes[length++] = b;
    }

    int length() {
        return length;
    }

    byte byteAt(int index) {
        return bytes[index];
    }

    void reset() {
        length = 0;
        if (bytes.length > 4096) {
            bytes = new byte[256]; // one huge header must not keep the connection's memory large
        }
    }

    /** Whether bytes {@code [from, from + name.length())} equal {@code name} (lower case ASCII), ignoring case. */
    boolean equalsIgnoreCase(int from, int to, String name) {
        if (to - from != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            int c = bytes[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    String ascii(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
