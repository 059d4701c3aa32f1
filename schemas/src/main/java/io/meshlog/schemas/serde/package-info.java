/**
 * Kafka serdes for meshlog's events in Avro's single-object encoding (no registry: every record
 * carries its writer schema's fingerprint, and {@link io.meshlog.schemas.serde.SchemaHistory}
 * holds the old versions). Encoding and decoding run on whatever thread calls the serde — a
 * producer's sender, a consumer's poll, a Streams task — and keep only per-thread buffers.
 * Undecodable records become {@link io.meshlog.schemas.serde.UndecodableRecordException}, which
 * {@link io.meshlog.schemas.serde.SkippingPoller} steps over and reports.
 */
package io.meshlog.schemas.serde;
