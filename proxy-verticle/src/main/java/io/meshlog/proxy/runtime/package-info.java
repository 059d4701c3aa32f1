/**
 * What: the running proxy: {@link io.meshlog.proxy.runtime.ProxyRuntime} (the shared, long-lived
 * parts that background adapters feed) and {@link io.meshlog.proxy.runtime.ProxyVerticle} (the
 * listeners: one {@code LoopVerticle} per event loop on shared ports, and the admin port's
 * {@code AdminVerticle}).
 *
 * <p>Flow: a mode ({@code bootstrap} or {@code mesh}) builds the runtime, applies a PolicyState
 * (from the bootstrap file, or from the Kafka policy consumer through
 * {@code runtime.policyUpdates()}) and deploys the verticle.
 *
 * <p>Thread: each loop verticle's event loop for the requests of the connections it was handed;
 * the {@code meshlog-admin} worker thread for the admin port; updates arrive from adapter threads.
 */
package io.meshlog.proxy.runtime;
