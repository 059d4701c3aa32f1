/**
 * Zero trust on the proxy's live request path: the glue between the workload identity ({@code
 * identity}), authorization ({@code authz}) and the listeners.
 *
 * <p>Flow: {@link io.meshlog.proxy.security.TransportSecurity} follows a {@link
 * io.meshlog.proxy.security.MaterialSource} (a {@code WorkloadIdentity}) and keeps the current key,
 * certificate and trust. On the inbound listener a {@code TransportSniffer} is the first Netty
 * handler of each connection: it reads the first byte (0x16 is TLS) and, under the workload's
 * PeerAuthentication mode, puts an SslHandler (client certificate required) in its place, steps
 * aside for plaintext, or closes the connection. Per request, {@code PeerIdentityInterceptor}
 * strips identity headers, sets the source principal and {@code x-forwarded-client-cert};
 * {@code AuthzInterceptor} evaluates AuthorizationPolicy (403 UAEX). Outbound, {@code
 * UpstreamMtls} makes mTLS clients for mesh endpoints and checks the server's SPIFFE id before a
 * request is sent. Policies are compiled once per policy state ({@code PolicyView}).
 *
 * <p>Threads: material changes arrive on the identity thread and are published through volatile
 * fields; everything else runs on event loops and never blocks.
 */
package io.meshlog.proxy.security;
