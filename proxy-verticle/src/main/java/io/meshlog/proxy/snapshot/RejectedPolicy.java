package io.meshlog.proxy.snapshot;

/**
 * A policy the compiler could not use; the snapshot keeps the previous meaning of nothing else.
 *
 * @param key {@code kind/namespace/name}
 * @param generation the rejected generation
 * @param reason what is wrong and where, e.g. {@code spec.http[0].route: weights add up to 90, not 100}
 */
public record RejectedPolicy(String key, long generation, String reason) {}
