package io.meshlog.policy.cli;

import java.util.List;

/** A failure meshctl reports as one line plus details, then exits with {@code exitCode}. */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> details;
    private final int exitCode;

    public CliException(String message, List<String> details, int exitCode) {
        super(message);
        this.details = List.copyOf(details);
        this.exitCode = exitCode;
    }

    public CliException(String message) {
        this(message, List.of(), 1);
    }

    public List<String> details() {
        return details;
    }

    public int exitCode() {
        return exitCode;
    }
}
