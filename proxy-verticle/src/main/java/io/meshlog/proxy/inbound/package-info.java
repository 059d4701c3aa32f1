/**
 * What: the inbound listener: other proxies call this workload through it; it forwards to the
 * local app's port.
 *
 * <p>Flow: {@link io.meshlog.proxy.inbound.InboundRequestHandler} runs an ordered list of {@link
 * io.meshlog.proxy.inbound.InboundInterceptor}s (today the listener rate limit; peer identity and
 * authorization slot in before it), then forwards with the shared forwarder (no retries, the
 * listener's timeout). TLS options for mTLS go on the listener's server options.
 *
 * <p>Thread: the event loop of the request.
 */
package io.meshlog.proxy.inbound;
