package io.meshlog.policy.validate;

/**
 * One broken rule of one document.
 *
 * @param path JSON path such as {@code spec.http[0].route[1].weight} ("" for the whole document)
 * @param line 1-based source line, or 0 when unknown
 * @param message what is wrong and what was expected
 * @param severity errors refuse the document; warnings are reported and accepted
 */
public record Violation(String path, int line, String message, Severity severity) {
    /** How bad a violation is. */
    public enum Severity { ERROR, WARNING }

    public static Violation error(String path, int line, String message) {
        return new Violation(path, line, message, Severity.ERROR);
    }

    public static Violation warning(String path, int line, String message) {
        return new Violation(path, line, message, Severity.WARNING);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code line 14 spec.http[0].route[1].weight: must be ...}. */
    public String describe() {
        var where = (line > 0 ? "line " + line + " " : "") + (path.isEmpty() ? "" : path + ": ");
        return (severity == Severity.WARNING ? "warning: " : "") + where + message;
    }
}
