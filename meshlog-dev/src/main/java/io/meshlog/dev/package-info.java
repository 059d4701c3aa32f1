/**
 * The {@code meshlog dev} launcher: the embedded default without Docker. {@link
 * io.meshlog.dev.DevMain} parses the command line, locks the state directory, and a {@link
 * io.meshlog.dev.DevStack} starts the {@link io.meshlog.dev.DevComponent}s in order (broker,
 * topics, then the services as they land) on the main thread and stops them in reverse order on
 * Ctrl-C (from the JVM's shutdown-hook thread).
 */
package io.meshlog.dev;
