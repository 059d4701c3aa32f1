/**
 * What: the proxy's entry points: {@link io.meshlog.proxy.ProxyMain} (static bootstrap mode),
 * {@link io.meshlog.proxy.ProxyRuntime} (the shared, long-lived parts that background adapters
 * feed) and {@link io.meshlog.proxy.ProxyVerticle} (the listeners: one {@code LoopVerticle} per event loop on
 * shared ports, and the admin port's {@code AdminVerticle}).
 *
 * <p>Flow: main loads the bootstrap file → builds the runtime → applies the file's policies as a
 * PolicyState → deploys the verticle. In control-plane mode the Kafka policy consumer feeds
 * {@code runtime.policyUpdates()} instead.
 *
 * <p>Thread: main thread at start-up; each loop verticle's event loop for the requests of the
 * connections it was handed; the {@code meshlog-admin} worker thread for the admin port.
 */
package io.meshlog.proxy;
