/**
 * Safe parsing of policy documents (YAML or JSON, multi-document): {@link
 * io.meshlog.policy.parse.SafeYaml} checks size, depth, alias and document limits on the event
 * stream before composing nodes (no tags, no arbitrary types); {@link
 * io.meshlog.policy.parse.DocumentParser} binds each node tree to a typed Avro spec following
 * Istio's field names, collecting every violation with its path and line, then runs the {@link
 * io.meshlog.policy.validate.SpecValidator}. Pure functions, any thread.
 */
package io.meshlog.policy.parse;
