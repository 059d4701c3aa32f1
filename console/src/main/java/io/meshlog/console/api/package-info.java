/**
 * The console's HTTP face: {@link io.meshlog.console.api.ConsoleVerticle} wires the page, the
 * ECharts asset, the OpenAPI document and the read-only {@code /api}. Requests arrive on the event
 * loop; the JSON builders run on worker threads (they take the model's lock); the event stream's
 * timer runs on the event loop.
 */
package io.meshlog.console.api;
