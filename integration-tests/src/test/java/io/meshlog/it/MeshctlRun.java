package io.meshlog.it;

import io.meshlog.policy.cli.Meshctl;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * One {@code meshctl} run in-process against a running policy service, with a writer token from
 * the environment (no config file), and what it printed.
 */
record MeshctlRun(int exitCode, String out, String err) {
    static MeshctlRun run(int policyPort, String token, String... args) {
        var env = Map.of("MESHCTL_SERVER", "http://127.0.0.1:" + policyPort, "MESHCTL_TOKEN", token,
                "MESHCTL_CONFIG", "/nonexistent/.meshctl.yaml");
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Meshctl.run(args, env, new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new MeshctlRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
