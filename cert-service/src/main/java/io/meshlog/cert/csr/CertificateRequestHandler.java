package io.meshlog.cert.csr;

import io.meshlog.cert.ca.CertificateAuthority;
import io.meshlog.cert.jointoken.InvalidJoinTokenException;
import io.meshlog.cert.jointoken.JoinTokenVerifier;
import io.meshlog.cert.keystore.Pem;
import io.meshlog.schemas.v1.CertificateRejected;
import io.meshlog.schemas.v1.CertificateRequest;
import io.meshlog.schemas.v1.IssuedCertificate;
import io.meshlog.schemas.v1.RejectionReason;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decides one certificate request, in this order: CSR readable, trust domain ours, join token
 * genuine (constant-time proof), unexpired and not revoked, CSR self-signature, the CSR's only URI
 * SAN and the requested id both equal to the id the token grants. Then signs. Fails closed: any
 * unexpected error is a rejection with reason OTHER.
 *
 * <p>Runs on the request consumer thread.
 */
public final class CertificateRequestHandler {
    private final String trustDomain;
    private final JoinTokenVerifier tokens;
    private final CertificateAuthority authority;
    private final Clock clock;

    public CertificateRequestHandler(String trustDomain, JoinTokenVerifier tokens,
            CertificateAuthority authority, Clock clock) {
        this.trustDomain = trustDomain;
        this.tokens = tokens;
        this.authority = authority;
        this.clock = clock;
    }

    /** An {@link IssuedCertificate} or a {@link CertificateRejected}. */
    public SpecificRecord handle(CertificateRequest request) {
        try {
            return issue(request);
        } catch (CsrRejectedException e) {
            return rejected(request, e.reason(), e.getMessage());
        } catch (InvalidJoinTokenException e) {
            return rejected(request, e.reason(), "CSR rejected for proxy '" + request.getProxyId()
                    + "': " + e.getMessage());
        } catch (RuntimeException e) {
            return rejected(request, RejectionReason.OTHER, "CSR rejected for proxy '"
                    + request.getProxyId() + "': cert-service could not process it ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private IssuedCertificate issue(CertificateRequest request) {
        var csr = CsrValidator.parse(request.getCsrPem());
        var requested = request.getSpiffeId();
        if (!requested.startsWith("spiffe://" + trustDomain + "/")) {
            throw new CsrRejectedException(RejectionReason.UNKNOWN_TRUST_DOMAIN, "CSR rejected for proxy '"
                    + request.getProxyId() + "': SPIFFE id '" + requested + "' is not in trust domain '"
                    + trustDomain + "'");
        }
        var claims = tokens.verify(request.getJoinTokenClaims(), request.getJoinTokenProof(), csr.der());
        var key = CsrValidator.verifySignature(csr);
        if (!requested.equals(claims.spiffeId())) {
            throw new CsrRejectedException(RejectionReason.SAN_MISMATCH, "CSR rejected for proxy '"
                    + request.getProxyId() + "': SPIFFE id '" + requested + "' does not match the id"
                    + " the join token grants, '" + claims.spiffeId() + "'");
        }
        CsrValidator.requireOnlyUriSan(csr, claims.spiffeId(), request.getProxyId());
        var leaf = authority.issue(key, claims.spiffeId());
        return IssuedCertificate.newBuilder()
                .setRequestId(request.getRequestId())
                .setProxyId(request.getProxyId())
                .setSpiffeId(claims.spiffeId())
                .setChainPem(Pem.encode(leaf.chain()))
                .setSerial(leaf.serialHex())
                .setNotBefore(leaf.leaf().getNotBefore().toInstant())
                .setNotAfter(leaf.leaf().getNotAfter().toInstant())
                .setIssuedAt(clock.instant())
                .build();
    }

    private CertificateRejected rejected(CertificateRequest request, RejectionReason reason, String message) {
        return CertificateRejected.newBuilder()
                .setRequestId(request.getRequestId())
                .setProxyId(request.getProxyId())
                .setSpiffeId(request.getSpiffeId())
                .setReason(reason)
                .setMessage(message)
                .setRejectedAt(clock.instant())
                .build();
    }
}
