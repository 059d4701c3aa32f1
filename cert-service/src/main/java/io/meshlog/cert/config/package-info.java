/**
 * cert-service settings: the immutable {@link io.meshlog.cert.config.CertServiceConfig} record,
 * built from the environment by {@link io.meshlog.cert.config.CertServiceConfigLoader}, and the
 * {@link io.meshlog.cert.config.ConfigException} naming a bad setting. Read once at start, on the
 * main thread.
 */
package io.meshlog.cert.config;
