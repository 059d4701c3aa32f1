package io.meshlog.policy.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/** Runs meshctl in-process and keeps what it printed. */
public final class MeshctlRunner {
    /** Exit code and output of one run. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private final Map<String, String> env = new HashMap<>();

    /** A runner whose environment has no meshctl settings and no readable ~/.meshctl.yaml. */
    public MeshctlRunner() {
        env.put("MESHCTL_CONFIG", "/nonexistent/.meshctl.yaml");
    }

    public MeshctlRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Result run(String... args) {
        return runWithInput("", args);
    }

    /** Runs with {@code stdin} as standard input (for {@code -f -}). */
    public Result runWithInput(String stdin, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var code = Meshctl.run(args, env, new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }
}
