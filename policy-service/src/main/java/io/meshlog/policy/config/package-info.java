/**
 * The policy service's configuration: {@link io.meshlog.policy.config.PolicyServiceConfig} (an
 * immutable record that checks itself and names the bad path) and its loader (YAML file, then
 * environment). Read once at start-up, on the main thread.
 */
package io.meshlog.policy.config;
