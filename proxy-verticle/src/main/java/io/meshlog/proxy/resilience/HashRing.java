package io.meshlog.proxy.resilience;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A consistent-hash ring over one candidate list, as Envoy's ring hash: each endpoint owns
 * {@code ceil(minimumRingSize / endpoints)} points hashed from its address, so removing one moves
 * only its own keys. A key goes to the first point at or after its hash (wrapping around). Every
 * proxy builds the same ring from the same endpoints, so they agree on where a key goes. The hash
 * is FNV-1a 64 with MurmurHash3's finaliser (Envoy uses xxHash: the rings differ from Envoy's).
 */
public final class HashRing {
    /**
     * The most points a ring holds (validation refuses a larger minimumRingSize): Envoy allows 8M,
     * which would not fit a sidecar's 64 MB heap; 65,536 points take about 800 KB.
     */
    public static final int MAX_RING_SIZE = 65_536;

    private final long[] points;
    private final int[] owners;

    HashRing(List<EndpointState> endpoints, int minimumRingSize) {
        int size = endpoints.size();
        int perEndpoint = size == 0 ? 0 : (int) Math.min(MAX_RING_SIZE / size, ((long) minimumRingSize + size - 1) / size);
        var entries = new long[size * perEndpoint][];
        int n = 0;
        for (int e = 0; e < size; e++) {
            var address = endpoints.get(e).address();
            for (int i = 0; i < perEndpoint; i++) {
                entries[n++] = new long[] {hash(address + "_" + i), e};
            }
        }
        Arrays.sort(entries, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        points = new long[n];
        owners = new int[n];
        for (int i = 0; i < n; i++) {
            points[i] = entries[i][0];
            owners[i] = (int) entries[i][1];
        }
    }

    /** Points on the ring. */
    public int size() {
        return points.length;
    }

    /** The index of the first point at or after {@code hash}, wrapping to 0; -1 on an empty ring. */
    int first(long hash) {
        if (points.length == 0) {
            return -1;
        }
        int found = Arrays.binarySearch(points, hash);
        int index = found >= 0 ? found : -found - 1;
        // binarySearch finds any of equal points: step back to the first of them
        while (index > 0 && index < points.length && points[index - 1] == hash) {
            index--;
        }
        return index == points.length ? 0 : index;
    }

    /** The candidate index (into the endpoint list) owning point {@code index}. */
    int owner(int index) {
        return owners[index % owners.length];
    }

    /** The 64-bit hash meshlog's proxies agree on, of a key's UTF-8 bytes. */
    public static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h; // 0 is EndpointPicker.NO_HASH
    }
}
