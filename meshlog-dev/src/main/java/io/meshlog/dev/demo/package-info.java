/**
 * The demo of {@code meshlog dev}: small real HTTP services ({@link io.meshlog.dev.demo.DemoApp})
 * that call each other through their sidecars, and a steady open-loop {@link
 * io.meshlog.dev.demo.LoadGenerator}. Everything runs on Vert.x event loops of the launcher's
 * JVM.
 */
package io.meshlog.dev.demo;
