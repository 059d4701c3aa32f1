package io.meshlog.cert.ca;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A signed workload certificate with the chain a peer needs to verify it up to its root.
 *
 * @param chain leaf first, then any intermediates (never the root, never a key)
 */
public record IssuedLeaf(List<X509Certificate> chain) {
    public IssuedLeaf {
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public String serialHex() {
        return CaCertificates.serialHex(leaf());
    }
}
