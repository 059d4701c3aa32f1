package io.meshlog.console.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The last requests of one service, newest first when read; bounded. Guarded by the model. */
final class TailBuffer {
    private final int capacity;
    private final ArrayDeque<TailEntry> entries = new ArrayDeque<>();

    TailBuffer(int capacity) {
        this.capacity = capacity;
    }

    void add(TailEntry entry) {
        if (entries.size() == capacity) {
            entries.pollFirst();
        }
        entries.addLast(entry);
    }

    /** Up to {@code limit} entries matching {@code filter}, newest first. */
    List<TailEntry> newest(TailFilter filter, int limit) {
        var out = new ArrayList<TailEntry>();
        for (Iterator<TailEntry> it = entries.descendingIterator(); it.hasNext() && out.size() < limit; ) {
            var e = it.next();
            if (filter.matches(e)) {
                out.add(e);
            }
        }
        return out;
    }
}
