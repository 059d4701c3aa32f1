package io.meshlog.policy.cli;

/** One violation as meshctl prints it: {@code   line 14 spec.http[0].weight: must be …}. */
final class Violations {
    private Violations() {}

    /**
     * @param lineOffset added to a non-zero line (the line the document starts on in its file, minus one)
     */
    static String line(String path, int line, String message, String severity, int lineOffset) {
        var where = line > 0 ? "line " + (line + lineOffset) + " " : "";
        return "  " + ("WARNING".equals(severity) ? "warning: " : "") + where + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
