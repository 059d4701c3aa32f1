/**
 * Strict validation of policy documents: the rules a typed spec must keep (ranges, weights,
 * regexes, names, selectors, timeouts), reported all at once as {@link
 * io.meshlog.policy.validate.Violation}s with path and source line. A document flows parser →
 * {@link io.meshlog.policy.validate.SpecValidator} → accepted or {@link
 * io.meshlog.policy.validate.PolicyValidationException}. Pure functions, any thread.
 */
package io.meshlog.policy.validate;
