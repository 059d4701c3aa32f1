/**
 * Certificate requests: {@link io.meshlog.cert.csr.CertificateRequestConsumer} polls
 * {@code mesh.cert.requests.v1} on its own thread; {@link io.meshlog.cert.csr.CertificateRequestHandler}
 * checks each request (CSR via {@link io.meshlog.cert.csr.CsrValidator}, join token, trust domain,
 * SAN) and signs it, or refuses it with a reason; the answer goes to {@code mesh.cert.issued.v1}
 * or {@code mesh.cert.rejected.v1}, and {@link io.meshlog.cert.csr.CertificateMetrics} counts it.
 */
package io.meshlog.cert.csr;
