package io.meshlog.proxy.http;

import java.util.concurrent.ThreadLocalRandom;

/** Makes {@code x-request-id} values: random UUID-shaped (version 4) strings, cheaply. */
public final class RequestIds {
    public static final String HEADER = "x-request-id";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {}

    /** A new random id, e.g. {@code 3f1c0d2e-8b4a-4e6f-9a7b-0c1d2e3f4a5b}. */
    public static String next() {
        var random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        var out = new char[36];
        int position = 0;
        for (int i = 0; i < 32; i++) {
            if (i == 8 || i == 12 || i == 16 || i == 20) {
                out[position++] = '-';
            }
            long word = i < 16 ? high : low;
            int shift = (15 - (i % 16)) * 4;
            out[position++] = HEX[(int) (word >>> shift) & 0xF];
        }
        return new String(out);
    }
}
