/**
 * Offline checks of policy documents against each other and the known workloads, with stable
 * codes (like istioctl's IST0101): {@link io.meshlog.policy.analyze.Analyzer} turns a set of
 * documents (and optionally {@link io.meshlog.policy.analyze.Workload}s) into {@link
 * io.meshlog.policy.analyze.Finding}s. Codes are listed in {@link
 * io.meshlog.policy.analyze.Codes}. Pure functions, caller's thread.
 */
package io.meshlog.policy.analyze;
