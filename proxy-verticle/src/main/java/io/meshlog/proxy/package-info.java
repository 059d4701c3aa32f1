/**
 * What: the proxy's process entry point, {@link io.meshlog.proxy.ProxyMain}: static bootstrap mode
 * ({@code bootstrap}) or control-plane mode ({@code mesh}).
 *
 * <p>Flow: main parses the command line and hands over to one of the two modes, which build a
 * {@link io.meshlog.proxy.runtime.ProxyRuntime} and deploy the listeners.
 *
 * <p>Thread: main thread at start-up. Nothing else depends on this package (it sits on top).
 */
package io.meshlog.proxy;
