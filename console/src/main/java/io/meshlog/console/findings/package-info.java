/**
 * Configuration findings shown on the console's nodes. The console defines the
 * {@link io.meshlog.console.findings.FindingsSource} port; the launcher plugs in policy-service's
 * analyzer. The feed thread calls it when the policies in force change and hands the result to
 * the model.
 */
package io.meshlog.console.findings;
