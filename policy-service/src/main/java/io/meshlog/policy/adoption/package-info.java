/**
 * Figures for adopting the mesh: what the mesh's topics say about a window of time, as per-edge
 * and per-proxy figures ({@link io.meshlog.policy.adoption.MeshFigures}), kept as named baselines
 * on {@code mesh.baselines.v1} and compared later ({@link io.meshlog.policy.adoption.BaselineComparison}),
 * and the decision framework's assessment ({@link io.meshlog.policy.adoption.Assessment}).
 *
 * <p>Flow: {@link io.meshlog.policy.adoption.WindowReader} reads the edge windows, telemetry and
 * config acks of the window once (schemas' TopicReader, up to the end offsets at start) on its own
 * thread, then meshctl's thread computes and prints. Nothing here runs in the policy service.
 */
package io.meshlog.policy.adoption;
