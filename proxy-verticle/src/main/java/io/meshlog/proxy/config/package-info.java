/**
 * What: the proxy's own configuration as immutable, self-validating records ({@link
 * io.meshlog.proxy.config.ProxyConfig}, listener configs) and the static bootstrap file loader.
 *
 * <p>Flow: {@code ProxyMain} calls {@link io.meshlog.proxy.config.BootstrapLoader#load} once; the
 * file's policy documents (Istio-shaped, read by {@code policy-model}'s parser and validator, the
 * same as {@code meshctl apply -f}) become {@code PolicyEvent}s exactly as the policy API would
 * publish them, so static mode and control-plane mode compile the same snapshot.
 *
 * <p>Thread: the main thread at start-up; nothing here runs on the request path.
 */
package io.meshlog.proxy.config;
