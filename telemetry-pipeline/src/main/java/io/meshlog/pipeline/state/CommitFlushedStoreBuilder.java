package io.meshlog.pipeline.state;

import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds a {@link CommitFlushedStore} named {@code name} over an in-memory, changelogged,
 * uncached {@code String → byte[]} store (changelog topic {@code <application.id>-<name>-changelog},
 * as for any logged store of that name).
 */
public final class CommitFlushedStoreBuilder implements StoreBuilder<CommitFlushedStore> {
    private final StoreBuilder<org.apache.kafka.streams.state.KeyValueStore<String, byte[]>> inner;

    public CommitFlushedStoreBuilder(String name) {
        this.inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
                Serdes.ByteArray()).withCachingDisabled();
    }

    /** Refused: the owner's memory is the cache, flushed at commit. */
    @Override
    public StoreBuilder<CommitFlushedStore> withCachingEnabled() {
        throw new UnsupportedOperationException("store " + name() + " flushes at commit; it has no record cache");
    }

    @Override
    public StoreBuilder<CommitFlushedStore> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<CommitFlushedStore> withLoggingEnabled(Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    /** Refused: without a changelog the state would not survive a task moving. */
    @Override
    public StoreBuilder<CommitFlushedStore> withLoggingDisabled() {
        throw new UnsupportedOperationException("store " + name() + " needs its changelog");
    }

    @Override
    public CommitFlushedStore build() {
        return new CommitFlushedStore(inner.build());
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
