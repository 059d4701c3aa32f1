package io.meshlog.pipeline.state;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A changelogged key-value store whose owner keeps its live state in memory and writes what
 * changed only when the task commits: the owner registers {@link #beforeCommit(Runnable)}, and
 * Kafka Streams runs it while it flushes the task's caches, before the changelog records, the
 * outputs and the input offsets go out in one transaction (exactly_once_v2). So each event costs
 * no encoding and no store write, and the changelog still matches the committed offsets exactly,
 * as with a write-through store.
 *
 * <p>Commit-time flushing is what Kafka Streams' own record cache does; this store takes part in
 * it through the same (internal) {@link CachedStateStore} interface, with no cache of its own
 * (checked against Kafka Streams 4.4: {@code StreamTask.prepareCommit} → {@code flushCache} of
 * every {@code CachedStateStore} → record collector flush → transaction commit).
 * Reads and writes go straight to the underlying logged store; its content is what was written,
 * so an owner reads it only to rebuild its memory on init.
 *
 * <p>Thread: the stream thread of the owning task, like every state store.
 */
public final class CommitFlushedStore implements StateStore, CachedStateStore<String, byte[]> {
    private final KeyValueStore<String, byte[]> inner;
    private Runnable beforeCommit = () -> { };
    private StateStoreContext context;

    CommitFlushedStore(KeyValueStore<String, byte[]> inner) {
        this.inner = inner;
    }

    /** Runs {@code hook} on the stream thread at each commit, before the task's changelog is sent. */
    public void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
    }

    public byte[] get(String key) {
        return inner.get(key);
    }

    public void put(String key, byte[] value) {
        inner.put(key, value);
    }

    public void delete(String key) {
        inner.delete(key);
    }

    /** Every entry; close the iterator. */
    public KeyValueIterator<String, byte[]> all() {
        return inner.all();
    }

    /** The entries whose key starts with {@code prefix}; close the iterator. */
    public <P, S extends Serializer<P>> KeyValueIterator<String, byte[]> prefixScan(P prefix, S serializer) {
        return inner.prefixScan(prefix, serializer);
    }

    @Override
    public void flushCache() {
        // The changelog stamps each write with the current record's time. A task's context keeps
        // the last record or punctuation it ran, so there is one whenever the owner has changes;
        // outside a task (a test's mock context) there may be none: then the writes carry time 0.
        if (context instanceof InternalProcessorContext<?, ?> internal && internal.recordContext() == null) {
            internal.setRecordContext(new ProcessorRecordContext(0, -1, -1, null, new RecordHeaders()));
            try {
                beforeCommit.run();
            } finally {
                internal.setRecordContext(null);
            }
            return;
        }
        beforeCommit.run();
    }

    @Override
    public void clearCache() {
        // No cache: the owner's memory is rebuilt from the store when its task is re-initialised.
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, byte[]> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        this.context = context;
        inner.init(context, root);
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return inner.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    @Override
    public long approximateNumUncommittedBytes() {
        return inner.approximateNumUncommittedBytes();
    }
}
