package io.meshlog.dev;

import io.meshlog.kafka.embedded.BrokerStartException;
import io.meshlog.kafka.embedded.Ports;
import java.util.List;
import java.util.Map;

/** Checks up front that the fixed ports of the services are free, so a clash is one clear line. */
final class PortsComponent implements DevComponent {
    private final Map<Integer, String> ports;

    PortsComponent(Map<Integer, String> ports) {
        this.ports = Map.copyOf(ports);
    }

    @Override
    public String name() {
        return "ports";
    }

    @Override
    public void start() {
        ports.forEach((port, what) -> {
            if (port != 0) {
                try {
                    Ports.requireFree(port, what);
                } catch (BrokerStartException e) {
                    throw new DevStartException(e.getMessage(), e);
                }
            }
        });
    }

    @Override
    public List<String> endpoints() {
        return List.of();
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
