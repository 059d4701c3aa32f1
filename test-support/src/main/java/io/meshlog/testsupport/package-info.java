/**
 * Test fixtures shared by the modules' integration tests (test scope only):
 * {@link io.meshlog.testsupport.KafkaBrokerExtension} starts one real broker per test JVM and
 * hands tests a {@link io.meshlog.testsupport.SharedKafka} with unique topic prefixes.
 */
package io.meshlog.testsupport;
