package io.meshlog.proxy.snapshot;

/** A policy cannot be compiled; the message names the path inside the policy. */
final class InvalidPolicyException extends RuntimeException {
    InvalidPolicyException(String path, String message) {
        super(path + ": " + message);
    }
}
