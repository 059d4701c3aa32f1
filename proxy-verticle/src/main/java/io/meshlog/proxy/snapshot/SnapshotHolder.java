package io.meshlog.proxy.snapshot;

import java.util.concurrent.atomic.AtomicReference;

/** The current snapshot, swapped atomically; requests read it, the policy side replaces it. */
public final class SnapshotHolder {
    private final AtomicReference<MeshSnapshot> current = new AtomicReference<>(MeshSnapshot.EMPTY);
    private volatile boolean applied;

    public MeshSnapshot current() {
        return current.get();
    }

    /** Makes {@code snapshot} current for every request that starts from now on. */
    public void swap(MeshSnapshot snapshot) {
        current.set(snapshot);
        applied = true;
    }

    /** Whether a compiled snapshot has been applied (the proxy is ready). */
    public boolean hasApplied() {
        return applied;
    }
}
