package io.meshlog.proxy.snapshot;

import io.meshlog.proxy.discovery.EndpointDirectory;
import io.meshlog.proxy.policy.PolicyState;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the policy consumer calls with each new {@link PolicyState}: compiles it with the endpoint
 * directory and swaps the snapshot. Also recompiles when the directory reports a change. Listeners
 * (e.g. a ConfigAck publisher) hear of every applied snapshot.
 */
public final class SnapshotUpdater implements Consumer<PolicyState> {
    private static final Logger LOGGER = LoggerFactory.getLogger(SnapshotUpdater.class);

    private final SnapshotCompiler compiler;
    private final EndpointDirectory directory;
    private final SnapshotHolder holder;
    private final java.util.List<Consumer<MeshSnapshot>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<Consumer<PolicyState>> preListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile PolicyState last = PolicyState.empty();

    public SnapshotUpdater(SnapshotCompiler compiler, EndpointDirectory directory, SnapshotHolder holder) {
        this.compiler = compiler;
        this.directory = directory;
        this.holder = holder;
        directory.onChange(service -> recompile());
    }

    /** Hears every new policy state before it is compiled (e.g. to update what the directory derives from it). */
    public void beforeCompile(Consumer<PolicyState> listener) {
        preListeners.add(listener);
    }

    /** Hears every snapshot applied from now on (on the thread that applied it). */
    public void onApplied(Consumer<MeshSnapshot> listener) {
        listeners.add(listener);
    }

    /** The policy state applied last (the same instance until the next change). */
    public PolicyState state() {
        return last;
    }

    @Override
    public synchronized void accept(PolicyState state) {
        last = state;
        preListeners.forEach(listener -> listener.accept(state));
        var snapshot = compiler.compile(state, directory);
        holder.swap(snapshot);
        for (var rejected : snapshot.rejected()) {
            LOGGER.atWarn().setMessage("policy rejected").addKeyValue("policy", rejected.key())
                    .addKeyValue("generation", rejected.generation()).addKeyValue("reason", rejected.reason()).log();
        }
        LOGGER.atInfo().setMessage("snapshot applied").addKeyValue("version", snapshot.version())
                .addKeyValue("policies", snapshot.generations().size()).addKeyValue("rejected", snapshot.rejected().size()).log();
        listeners.forEach(listener -> listener.accept(snapshot));
    }

    private synchronized void recompile() {
        holder.swap(compiler.compile(last, directory));
    }
}
