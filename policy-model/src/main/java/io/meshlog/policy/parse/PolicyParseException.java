package io.meshlog.policy.parse;

/** Input that is not a readable YAML/JSON document within the limits (HTTP 400). */
public final class PolicyParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;

    public PolicyParseException(String message, int line) {
        super(message);
        this.line = line;
    }

    /** 1-based line of the problem, 0 when unknown. */
    public int line() {
        return line;
    }
}
