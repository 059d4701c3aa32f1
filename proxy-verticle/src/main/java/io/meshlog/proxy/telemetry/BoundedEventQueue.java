package io.meshlog.proxy.telemetry;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lock-free multi-producer queue that holds at most {@code capacity} elements: {@link #offer}
 * refuses instead of waiting. The size is reserved before the element is linked in, so the bound
 * holds under any interleaving of producers.
 */
final class BoundedEventQueue<T> {
    private final ConcurrentLinkedQueue<T> elements = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    BoundedEventQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, but was " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds {@code element} unless the queue is full; never blocks. */
    boolean offer(T element) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        elements.offer(element);
        return true;
    }

    /** The oldest element, or null when empty. */
    T poll() {
        var element = elements.poll();
        if (element != null) {
            size.decrementAndGet();
        }
        return element;
    }

    int size() {
        return Math.max(0, size.get());
    }
}
