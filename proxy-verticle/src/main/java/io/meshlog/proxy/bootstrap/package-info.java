/**
 * What: what static bootstrap mode needs besides the config loader: a fixed {@link
 * io.meshlog.proxy.discovery.EndpointDirectory}.
 *
 * <p>Flow: {@code ProxyMain} builds it from the bootstrap file's services; the cluster registry and
 * snapshot compiler read it like any directory.
 *
 * <p>Thread: read from event loops (a volatile immutable map); {@code replace} from any thread.
 */
package io.meshlog.proxy.bootstrap;
