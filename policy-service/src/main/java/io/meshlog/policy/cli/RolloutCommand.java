package io.meshlog.policy.cli;

import io.meshlog.policy.model.MeshModes;
import io.meshlog.policy.model.MeshScope;
import io.meshlog.schemas.v1.EnforcementMode;
import io.meshlog.schemas.v1.MeshModeSpec;
import io.meshlog.schemas.v1.PolicyEvent;
import io.meshlog.schemas.v1.PolicyKind;
import io.meshlog.schemas.v1.WorkloadSelector;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code meshctl rollout status}: where each namespace stands on the way from OBSERVE to ENFORCE. */
@Command(name = "rollout", description = "Observe-first rollout of enforcement.", subcommands = RolloutCommand.Status.class)
final class RolloutCommand {
    @ParentCommand
    Meshctl meshctl;

    /**
     * Per namespace: its mode (MeshModes over the MeshModes in force), its workloads with sidecars
     * (proxies' ConfigAcks) and without (excluded workloads: {@link ExcludedWorkloads}), the
     * would-have counts of the window and what blocks enforcement.
     */
    @Command(name = "status", description = "Per namespace: mode, workloads with and without sidecars, would-have counts, blockers.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        RolloutCommand rollout;

        @Spec
        CommandSpec spec;

        @Option(names = "--window", defaultValue = "1h", description = "how far back the would-have counts go, e.g. 1h")
        String window;

        @Option(names = "--root-namespace", defaultValue = MeshScope.DEFAULT_ROOT_NAMESPACE,
                description = "the mesh root namespace (its MeshMode is mesh-wide)")
        String rootNamespace;

        @Option(names = "--bootstrap-server", description = "Kafka, for the telemetry (env MESHCTL_KAFKA_BOOTSTRAP, default localhost:9092)")
        String bootstrap;

        @Option(names = "--topic-prefix", defaultValue = "", description = "prefix of the mesh's topic names")
        String prefix;

        @Override
        public Integer call() {
            var meshctl = rollout.meshctl;
            var client = meshctl.client();
            var modes = Output.items(client.get(ApiClient.BASE + "/meshmodes").body()).stream()
                    .map(Status::event).toList();
            var proxies = Output.items(client.get(ApiClient.BASE + "/proxies").body());
            var tally = new WouldHaveTally();
            new TelemetryWindow(TelemetryWindow.bootstrap(bootstrap, meshctl.env()), prefix)
                    .read(ModeCommand.millis(window, "--window"), tally::add);
            print(spec.commandLine().getOut(), modes, proxies, tally, ExcludedWorkloads.NONE);
            return 0;
        }

        void print(PrintWriter out, List<PolicyEvent> modes, List<JsonObject> proxies, WouldHaveTally tally,
                ExcludedWorkloads excluded) {
            var sidecars = new TreeMap<String, TreeMap<String, Integer>>();
            for (var proxy : proxies) {
                sidecars.computeIfAbsent(proxy.getString("namespace"), n -> new TreeMap<>())
                        .merge(proxy.getString("workload"), 1, Integer::sum);
            }
            var namespaces = new TreeSet<String>(sidecars.keySet());
            modes.forEach(m -> namespaces.add(m.getNamespace()));
            namespaces.addAll(tally.namespaces());
            namespaces.remove(rootNamespace);
            out.println("mesh (" + rootNamespace + "): " + MeshModes.namespaceMode(modes, rootNamespace, rootNamespace));
            for (var namespace : namespaces) {
                var mode = MeshModes.namespaceMode(modes, rootNamespace, namespace);
                out.println();
                out.println("namespace " + namespace + ": " + mode);
                var overrides = modes.stream().filter(m -> m.getNamespace().equals(namespace)
                        && ((MeshModeSpec) m.getSpec()).getSelector() != null).map(Status::override).toList();
                if (!overrides.isEmpty()) {
                    out.println("  workload modes: " + String.join(", ", overrides));
                }
                var with = sidecars.getOrDefault(namespace, new TreeMap<>());
                var withText = new ArrayList<String>();
                with.forEach((workload, n) -> withText.add(workload + " (" + n + " prox" + (n == 1 ? "y" : "ies") + ")"));
                out.println("  with sidecar: " + (withText.isEmpty() ? "-" : String.join(", ", withText)));
                var without = excluded.workloads(namespace);
                out.println("  without sidecar: " + (without.isEmpty() ? "-" : String.join(", ", without)));
                var total = tally.total(namespace);
                var counts = new ArrayList<String>();
                total.forEach((decision, n) -> counts.add(decision.name().toLowerCase(Locale.ROOT) + "=" + n));
                out.println("  would have (last " + window + "): " + (counts.isEmpty() ? "nothing" : String.join(" ", counts)));
                var blockers = tally.blockers(namespace);
                if (mode == EnforcementMode.OBSERVE) {
                    out.println(blockers.isEmpty() ? "  blocks enforcement: nothing seen in the window"
                            : "  blocks enforcement:");
                    blockers.forEach(b -> out.println("    " + b));
                }
            }
            out.flush();
        }

        private static String override(PolicyEvent event) {
            var spec = (MeshModeSpec) event.getSpec();
            return event.getName() + " " + spec.getSelector().getMatchLabels() + " " + spec.getMode();
        }

        /** The MeshMode as the resolver needs it, from the API's rendering. */
        static PolicyEvent event(JsonObject document) {
            var metadata = document.getJsonObject("metadata", new JsonObject());
            var spec = document.getJsonObject("spec", new JsonObject());
            var labels = spec.getJsonObject("selector", new JsonObject()).getJsonObject("matchLabels", new JsonObject());
            var matchLabels = new HashMap<String, String>();
            labels.forEach(e -> matchLabels.put(e.getKey(), String.valueOf(e.getValue())));
            var time = metadata.getString("time");
            return PolicyEvent.newBuilder().setKind(PolicyKind.MeshMode).setNamespace(metadata.getString("namespace"))
                    .setName(metadata.getString("name")).setGeneration(metadata.getLong("generation", 1L))
                    .setAuthor(metadata.getString("author", "")).setTime(time == null ? Instant.EPOCH : Instant.parse(time))
                    .setSpec(MeshModeSpec.newBuilder()
                            .setSelector(matchLabels.isEmpty() ? null : WorkloadSelector.newBuilder().setMatchLabels(matchLabels).build())
                            .setMode(EnforcementMode.valueOf(spec.getString("mode", EnforcementMode.ENFORCE.name())))
                            .build())
                    .build();
        }
    }

    /**
     * The workloads of a namespace that run without a sidecar. The hook for issue 12's registry of
     * excluded workloads (a policy kind with owner and justification, another change): until it
     * lands, none are known.
     */
    @FunctionalInterface
    interface ExcludedWorkloads {
        ExcludedWorkloads NONE = namespace -> List.of();

        /** Each excluded workload of {@code namespace}, as it should be printed (name, and why). */
        List<String> workloads(String namespace);
    }
}
