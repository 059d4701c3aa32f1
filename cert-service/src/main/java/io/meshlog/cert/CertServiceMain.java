package io.meshlog.cert;

import io.meshlog.cert.config.CertServiceConfig;
import io.meshlog.cert.config.CertServiceConfigLoader;
import io.meshlog.cert.config.ConfigException;
import io.meshlog.cert.config.Durations;
import io.meshlog.cert.jointoken.JoinTokenIssuer;
import io.meshlog.cert.jointoken.JoinTokenKey;
import io.meshlog.cert.keystore.CaStateDirectory;
import io.meshlog.cert.keystore.InsecureKeyFileException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * cert-service's command line.
 *
 * <pre>
 * CertServiceMain [run]                                      run the CA (settings from MESHLOG_* env)
 * CertServiceMain token create --namespace NS --service-account SA --ttl 1h
 *                                                            print a join token (uses the token key
 *                                                            in MESHLOG_CERT_STATE_DIR)
 * </pre>
 *
 * Exit codes: 0 ok, 1 bad input or refused key file (message on stderr), 2 usage.
 */
public final class CertServiceMain {
    private CertServiceMain() {}

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command; returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err)
            throws InterruptedException {
        try {
            if (args.length == 0 || args[0].equals("run")) {
                serve(CertServiceConfigLoader.fromEnv(env));
                return 0;
            }
            if (args.length >= 2 && args[0].equals("token") && args[1].equals("create")) {
                out.println(createToken(options(args, 2), CertServiceConfigLoader.fromEnv(env)));
                return 0;
            }
            err.println(usage());
            return 2;
        } catch (ConfigException | IllegalArgumentException | InsecureKeyFileException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static String createToken(Map<String, String> options, CertServiceConfig config) {
        var state = new CaStateDirectory(config.stateDir());
        var issuer = new JoinTokenIssuer(JoinTokenKey.loadOrCreate(state.file("token.key")),
                config.trustDomain(), Clock.systemUTC());
        return issuer.issue(option(options, "namespace"), option(options, "service-account"),
                Durations.parse("--ttl", option(options, "ttl"))).value();
    }

    private static void serve(CertServiceConfig config) throws InterruptedException {
        var stopped = new CountDownLatch(1);
        var service = CertService.start(config, new SimpleMeterRegistry(), Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "cert-service-shutdown"));
        stopped.await();
    }

    private static Map<String, String> options(String[] args, int from) {
        var options = new HashMap<String, String>();
        for (int i = from; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, but got '" + args[i]
                        + "'\n" + usage());
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String option(Map<String, String> options, String name) {
        var value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required\n" + usage());
        }
        return value;
    }

    private static String usage() {
        return """
                usage: cert-service [run]
                       cert-service token create --namespace NS --service-account SA --ttl 1h""";
    }
}
