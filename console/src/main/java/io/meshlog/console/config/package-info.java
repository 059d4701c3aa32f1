/**
 * The console's settings: an immutable, self-validating {@link io.meshlog.console.config.ConsoleConfig}
 * (loopback by default; any other address needs a token) and its loader from the environment.
 * Read once on the starting thread.
 */
package io.meshlog.console.config;
