package io.meshlog.policy.analyze;

/**
 * One thing analyze found.
 *
 * @param code stable code such as ML0101
 * @param resource {@code Kind namespace/name}
 * @param path JSON path in the resource
 * @param hint how to fix it
 */
public record Finding(String code, Severity severity, String resource, String path, String message, String hint) {
    /** Errors make {@code meshctl analyze} exit 1. */
    public enum Severity { ERROR, WARNING, INFO }
}
