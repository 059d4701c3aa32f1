package io.meshlog.cert.ca;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The CA that signs workload certificates: its key (never printed, never leaves the process) and
 * its chain, signer first and root last (one element when the signer is the root).
 *
 * @param key the signer's private key
 * @param chain signer first, root last
 */
public record SigningCa(PrivateKey key, List<X509Certificate> chain) {
    public SigningCa {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a signing CA needs at least its own certificate");
        }
        if (chain.get(0).getBasicConstraints() < 0) {
            throw new IllegalArgumentException("signing certificate "
                    + chain.get(0).getSubjectX500Principal() + " is not a CA (no basicConstraints CA=true)");
        }
    }

    public X509Certificate signer() {
        return chain.get(0);
    }

    /** The trust anchor proxies must hold to accept this CA's certificates. */
    public X509Certificate root() {
        return chain.get(chain.size() - 1);
    }

    /** The certificates above the signer that go into an issued chain (not the root). */
    public List<X509Certificate> intermediates() {
        return chain.size() == 1 ? List.of(signer()) : chain.subList(0, chain.size() - 1);
    }

    @Override
    public String toString() {
        return "SigningCa[key=<redacted>, signer=" + signer().getSubjectX500Principal() + "]";
    }
}
