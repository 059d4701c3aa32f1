/**
 * What: the HTTP/1.1 front of the proxy's listeners: strict request framing and syntax (RFC 9112,
 * RFC 9110) checked on the raw bytes before Netty's lenient decoder, the listener limits (header
 * count and size, URI length, chunk size, header-read timeout), and the one adapter to Vert.x's
 * Netty pipeline.
 *
 * <p>Flow: a new connection → {@link io.meshlog.proxy.listener.ConnectionGuard} installs an {@code
 * Http1Guard} around Vert.x's decoder → {@code RequestFraming} follows every message boundary and
 * passes on only accepted bytes → refused requests get their status with {@code DPE}, the
 * connection is closed, {@code meshlog_proxy_http_rejected_total} counts them.
 *
 * <p>Thread: the connection's event loop; one guard per connection, no shared state.
 */
package io.meshlog.proxy.listener;
