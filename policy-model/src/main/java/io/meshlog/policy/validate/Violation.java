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

    /** A warning that an Istio field is accepted but not enforced, with its stable analyze code. */
    public static Violation notEnforced(String path, int line, String code, String why) {
        return warning(path, line, code + " field accepted but not enforced by meshlog: " + why);
    }

    /** The stable analyze code the message starts with ({@code ML0201 ...}), or null. */
    public String code() {
        return message.matches("ML\\d{4} .*") ? message.substring(0, 6) : null;
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
