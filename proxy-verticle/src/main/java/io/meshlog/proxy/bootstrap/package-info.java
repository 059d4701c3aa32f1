/**
 * What: static bootstrap mode (like Envoy's static resources): the bootstrap file loader ({@link
 * io.meshlog.proxy.bootstrap.BootstrapLoader}, settings read through {@code Settings}, policies
 * through {@code policy-model} in {@code BootstrapPolicies}), a fixed endpoint directory and the
 * process that runs one proxy from a file.
 *
 * <p>Flow: {@code ProxyMain} calls {@link io.meshlog.proxy.bootstrap.BootstrapLoader#load} once; the
 * file's policy documents (Istio-shaped, read by the same parser and validator as
 * {@code meshctl apply -f}) become {@code PolicyEvent}s exactly as the policy API would publish
 * them, so static mode and control-plane mode compile the same snapshot.
 *
 * <p>Thread: the main thread at start-up; the endpoint directory is read from event loops (a
 * volatile immutable map).
 */
package io.meshlog.proxy.bootstrap;
