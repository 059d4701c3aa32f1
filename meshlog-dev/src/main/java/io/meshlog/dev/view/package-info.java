/**
 * The live terminal view of {@code meshlog dev}: {@link io.meshlog.dev.view.LiveView} consumes
 * the pipeline's output topics on its own thread, {@link io.meshlog.dev.view.MeshView} folds them
 * and {@link io.meshlog.dev.view.LiveViewRenderer} draws a frame every few seconds.
 */
package io.meshlog.dev.view;
