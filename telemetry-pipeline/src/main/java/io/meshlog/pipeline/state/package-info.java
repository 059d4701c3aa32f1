/**
 * State stores written at commit rather than per event.
 *
 * <p>Flow: a processor keeps its live state (edge histograms, detectors, budgets, SLO buckets)
 * in memory, remembers what changed, and registers a hook with its
 * {@link io.meshlog.pipeline.state.CommitFlushedStore}; when the task commits, Kafka Streams
 * flushes its caches, the hook encodes and writes only what changed into the changelogged
 * store, and those changelog records go out in the same transaction as the outputs and the input
 * offsets. After a crash or a task move the new owner restores the store from the changelog and
 * rebuilds its memory from it on init.
 *
 * <p>Thread: the stream thread of the owning task.
 */
package io.meshlog.pipeline.state;
