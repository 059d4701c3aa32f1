package io.meshlog.policy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code meshctl}: drive meshlog's policies from a terminal. Run in-process with {@link #run}
 * (tests do), or as a program with {@link #main}.
 */
@Command(name = "meshctl", mixinStandardHelpOptions = true, version = "meshctl 0.1.0",
        description = "Apply, inspect, roll back and analyze meshlog policies.",
        subcommands = {ApplyCommand.class, GetCommand.class, DescribeCommand.class, DeleteCommand.class,
                HistoryCommand.class, RollbackCommand.class, StatusCommand.class, AnalyzeCommand.class,
                TailCommand.class, CanaryCommand.class, ModeCommand.class, RolloutCommand.class,
                BaselineCommand.class, AssessCommand.class})
public final class Meshctl implements Runnable {
    /** Default server when no flag, environment variable or config file names one. */
    public static final String DEFAULT_SERVER = "http://127.0.0.1:8081";

    @Option(names = "--server", scope = ScopeType.INHERIT, description = "policy-service URL (env MESHCTL_SERVER)")
    String server;

    @Option(names = "--token", scope = ScopeType.INHERIT, description = "bearer token (env MESHCTL_TOKEN)")
    String token;

    private final Map<String, String> env;
    private final InputStream stdin;
    private CommandLine commandLine;

    Meshctl(Map<String, String> env, InputStream stdin) {
        this.env = Map.copyOf(env);
        this.stdin = stdin;
    }

    public static void main(String[] args) {
        var out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        var err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, System.getenv(), out, err));
    }

    /**
     * Runs one meshctl command.
     *
     * @return the exit code: 0 success, 1 failure (or error findings), 2 usage error
     */
    public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return run(args, env, System.in, out, err);
    }

    /** Runs one meshctl command reading {@code -f -} from {@code stdin}. */
    public static int run(String[] args, Map<String, String> env, InputStream stdin, PrintWriter out, PrintWriter err) {
        var meshctl = new Meshctl(env, stdin);
        var commandLine = new CommandLine(meshctl);
        meshctl.commandLine = commandLine;
        commandLine.setOut(out).setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException cli) {
                cmd.getErr().println(cli.getMessage());
                cli.details().forEach(cmd.getErr()::println);
                cmd.getErr().flush();
                return cli.exitCode();
            }
            cmd.getErr().println("error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            cmd.getErr().flush();
            return 1;
        });
        var code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        commandLine.usage(commandLine.getOut());
    }

    Map<String, String> env() {
        return env;
    }

    InputStream stdin() {
        return stdin;
    }

    /** The API client for the resolved server and token: flag, then env, then ~/.meshctl.yaml. */
    ApiClient client() {
        var file = configFile();
        var url = server != null ? server : env.getOrDefault("MESHCTL_SERVER", file.getOrDefault("server", DEFAULT_SERVER));
        var bearer = token != null ? token : env.getOrDefault("MESHCTL_TOKEN", file.get("token"));
        return new ApiClient(url, bearer);
    }

    private Map<String, String> configFile() {
        var path = env.containsKey("MESHCTL_CONFIG") ? Path.of(env.get("MESHCTL_CONFIG"))
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".meshctl.yaml");
        if (!Files.isRegularFile(path)) {
            return Map.of();
        }
        try {
            var loaded = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(path));
            if (!(loaded instanceof Map<?, ?> map)) {
                throw new CliException("error: " + path + " must be a mapping with server and token");
            }
            var out = new java.util.HashMap<String, String>();
            map.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
            return out;
        } catch (IOException e) {
            throw new CliException("error: cannot read " + path + ": " + e.getMessage());
        }
    }
}
