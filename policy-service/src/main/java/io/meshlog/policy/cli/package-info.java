/**
 * meshctl, the command line (picocli): {@link io.meshlog.policy.cli.Meshctl} and one class per
 * subcommand. Commands talk to policy-service over HTTP through {@link
 * io.meshlog.policy.cli.ApiClient} (server and token from flags, {@code MESHCTL_SERVER}/{@code
 * MESHCTL_TOKEN}, or {@code ~/.meshctl.yaml}); {@code analyze} runs offline; {@code tail} reads
 * Kafka directly. Output is tables, YAML or JSON; failures are one line plus violations, never a
 * stack trace. Runs on the caller's thread.
 */
package io.meshlog.policy.cli;
