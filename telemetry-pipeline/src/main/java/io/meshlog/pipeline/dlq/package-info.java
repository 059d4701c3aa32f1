/**
 * Records the pipeline cannot decode go to mesh.dlq.v1 as DeadLetters instead of stopping the
 * pipeline or vanishing.
 *
 * <p>Flow: Kafka Streams fails to deserialize a source record → calls
 * {@link io.meshlog.pipeline.dlq.DeadLetterHandler#handleError} (the Kafka 4.x API returning a
 * {@code Response} with dead-letter records) → the DeadLetter (reason, source
 * topic/partition/offset, fingerprint, raw bytes) is produced by Streams in the task's
 * transaction, the observer counts it, processing resumes after the record.
 *
 * <p>Thread: the stream thread that polled the record.
 */
package io.meshlog.pipeline.dlq;
