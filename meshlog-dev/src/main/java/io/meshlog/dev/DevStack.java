package io.meshlog.dev;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts components in order and stops the started ones in reverse order, also when a later
 * one fails to start, so a refused start leaves nothing running.
 */
final class DevStack implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(DevStack.class);

    private final List<DevComponent> components;
    private final Deque<DevComponent> started = new ArrayDeque<>();

    DevStack(List<DevComponent> components) {
        this.components = List.copyOf(components);
    }

    void start() {
        for (var component : components) {
            long begin = System.nanoTime();
            try {
                component.start();
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            started.push(component);
            LOGGER.atInfo().addKeyValue("component", component.name())
                    .addKeyValue("millis", (System.nanoTime() - begin) / 1_000_000)
                    .log("started");
        }
    }

    List<String> endpoints() {
        var lines = new ArrayList<String>();
        for (var component : components) {
            if (started.contains(component)) {
                lines.addAll(component.endpoints());
            }
        }
        return lines;
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            var component = started.pop();
            try {
                component.close();
                LOGGER.atInfo().addKeyValue("component", component.name()).log("stopped");
            } catch (RuntimeException e) {
                LOGGER.atWarn().addKeyValue("component", component.name())
                        .addKeyValue("error", e.getMessage()).log("stop was not clean");
            }
        }
    }
}
