/**
 * The mesh CA. {@link io.meshlog.cert.ca.CaLoader} finds or creates the signing CA at start;
 * {@link io.meshlog.cert.ca.CertificateAuthority} signs SPIFFE workload certificates
 * ({@link io.meshlog.cert.ca.CaCertificates} builds them); {@link io.meshlog.cert.ca.CaRotation}
 * moves the mesh to a new root in three published steps. Signing runs on the request consumer
 * thread; rotation on the admin thread (or a test).
 */
package io.meshlog.cert.ca;
