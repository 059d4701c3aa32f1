/**
 * Starting a real Kafka broker without Docker. {@link io.meshlog.kafka.embedded.KafkaBroker} is
 * the one interface; {@link io.meshlog.kafka.embedded.EmbeddedKafkaBroker} runs a KRaft broker
 * and controller from Kafka's own artifacts inside this JVM (its threads are Kafka's). Used by
 * {@code meshlog dev} and by integration tests (through test-support).
 */
package io.meshlog.kafka.embedded;
