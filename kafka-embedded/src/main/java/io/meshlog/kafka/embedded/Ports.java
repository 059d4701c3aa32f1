package io.meshlog.kafka.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback port helpers: find a free one, or refuse clearly when one is taken. */
public final class Ports {
    private Ports() {}

    /** A port free on 127.0.0.1 right now (another process may still take it before we do). */
    public static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new BrokerStartException("cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /**
     * Throws a {@link BrokerStartException} naming {@code what} and the port when the port is
     * already bound on 127.0.0.1.
     */
    public static void requireFree(int port, String what) {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            throw new BrokerStartException("port " + port + " on 127.0.0.1 (" + what
                    + ") is already in use: stop whatever listens there, or choose another port");
        }
    }
}
