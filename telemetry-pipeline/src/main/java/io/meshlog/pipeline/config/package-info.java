/**
 * The pipeline's own settings: {@link io.meshlog.pipeline.config.PipelineConfig} (validated record,
 * read from a properties file and the environment) and the Kafka Streams properties derived from
 * it. Policy-derived settings (outlier detection, retry budget, SLO) live with their decision.
 *
 * <p>Flow: PipelineMain reads file then environment (environment wins) → PipelineConfig →
 * StreamsSettings → KafkaStreams. Thread: main thread at start-up only.
 */
package io.meshlog.pipeline.config;
