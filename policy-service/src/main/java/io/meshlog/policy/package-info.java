/**
 * Entry points of the policy service: {@link io.meshlog.policy.PolicyService} (start/stop one
 * service in-process) and {@link io.meshlog.policy.PolicyServiceMain} (the process). meshctl is
 * {@link io.meshlog.policy.cli.Meshctl}. Start-up runs on the caller's thread.
 */
package io.meshlog.policy;
