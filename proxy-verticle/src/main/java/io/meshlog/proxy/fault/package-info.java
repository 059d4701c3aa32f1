/**
 * What: fault injection of a route (fixed delay, abort with a status) for a percentage of requests.
 *
 * <p>Flow: after route matching and before the retry loop, the outbound handler asks {@link
 * io.meshlog.proxy.fault.FaultInjector} whether to abort (503-like local reply, flag FI) or to delay
 * (a timer, flag DI).
 *
 * <p>Thread: event loop; stateless.
 */
package io.meshlog.proxy.fault;
