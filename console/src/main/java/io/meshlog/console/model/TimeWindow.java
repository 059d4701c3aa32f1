package io.meshlog.console.model;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The windows the console offers. A fixed set rather than a free duration: the model keeps
 * history for the longest one only, and a request for more is refused instead of silently cut.
 */
public enum TimeWindow {
    ONE_MINUTE("1m", Duration.ofMinutes(1)),
    FIVE_MINUTES("5m", Duration.ofMinutes(5)),
    FIFTEEN_MINUTES("15m", Duration.ofMinutes(15)),
    ONE_HOUR("1h", Duration.ofHours(1));

    /** The window the page opens with. */
    public static final TimeWindow DEFAULT = FIVE_MINUTES;

    private final String label;
    private final Duration length;

    TimeWindow(String label, Duration length) {
        this.label = label;
        this.length = length;
    }

    public String label() {
        return label;
    }

    public Duration length() {
        return length;
    }

    /** The longest window: how much edge history the model keeps. */
    public static Duration longest() {
        return ONE_HOUR.length;
    }

    /**
     * The window labelled {@code label}; null or empty gives {@link #DEFAULT}.
     *
     * @throws IllegalArgumentException naming the labels accepted
     */
    public static TimeWindow parse(String label) {
        if (label == null || label.isEmpty()) {
            return DEFAULT;
        }
        for (var window : values()) {
            if (window.label.equals(label)) {
                return window;
            }
        }
        throw new IllegalArgumentException("window must be one of " + labels() + ", but was '" + label + "'");
    }

    public static String labels() {
        return Arrays.stream(values()).map(TimeWindow::label).collect(Collectors.joining(", "));
    }
}
