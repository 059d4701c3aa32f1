/**
 * The built-in web console. {@link io.meshlog.console.ConsoleService} starts a feed thread that
 * folds the mesh's topics into the model and a Vert.x HTTP server that serves the page and the
 * read-only API from it; {@link io.meshlog.console.ConsoleMain} runs it alone from environment
 * settings.
 */
package io.meshlog.console;
