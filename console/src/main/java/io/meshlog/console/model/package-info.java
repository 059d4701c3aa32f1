/**
 * The console's in-memory picture of the mesh. {@link io.meshlog.console.model.MeshModel} holds
 * what the feed thread folds from the topics; the builders ({@code GraphBuilder},
 * {@code ServiceDetailBuilder}, {@code TailQuery}, {@code FindingsQuery}) turn it into the JSON
 * the API serves and the page draws, under the model's lock, on Vert.x worker threads.
 */
package io.meshlog.console.model;
