package io.meshlog.proxy.http;

import io.meshlog.schemas.v1.WouldHave;
import java.util.ArrayList;
import java.util.List;

/**
 * What enforcement would have done to one request in OBSERVE mode, as a bit mask (no allocation
 * per request), with cached lists for telemetry.
 */
public final class WouldHaves {
    private static final WouldHave[] ALL = WouldHave.values();
    private static final Object[] LISTS = new Object[1 << ALL.length];

    private WouldHaves() {}

    public static int of(WouldHave decision) {
        return 1 << decision.ordinal();
    }

    /** The decisions in {@code bits} as the telemetry schema wants them. */
    @SuppressWarnings("unchecked")
    public static List<WouldHave> list(int bits) {
        var list = (List<WouldHave>) LISTS[bits];
        if (list == null) {
            var built = new ArrayList<WouldHave>();
            for (var decision : ALL) {
                if ((bits & of(decision)) != 0) {
                    built.add(decision);
                }
            }
            list = List.copyOf(built);
            LISTS[bits] = list;
        }
        return list;
    }
}
