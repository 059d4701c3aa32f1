package io.meshlog.proxy.identity;

import java.util.regex.Pattern;

/**
 * A workload identity {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}.
 *
 * @param trustDomain e.g. {@code cluster.local}
 * @param namespace the workload's namespace
 * @param serviceAccount the workload's service account
 */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {
    private static final Pattern FORM =
            Pattern.compile("spiffe://([a-z0-9._-]+)/ns/([a-z0-9]([-a-z0-9]*[a-z0-9])?)/sa/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)");

    public SpiffeId {
        var uri = "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
        if (!FORM.matcher(uri).matches()) {
            throw new IllegalArgumentException("not a mesh SPIFFE id: '" + uri + "'");
        }
    }

    /**
     * Parses {@code spiffe://td/ns/NS/sa/SA}.
     *
     * @throws IllegalArgumentException naming the text when it is not of that form
     */
    public static SpiffeId parse(String uri) {
        var matcher = uri == null ? null : FORM.matcher(uri);
        if (matcher == null || !matcher.matches()) {
            throw new IllegalArgumentException("not a mesh SPIFFE id (spiffe://<trust-domain>/ns/<namespace>"
                    + "/sa/<service-account>): '" + uri + "'");
        }
        return new SpiffeId(matcher.group(1), matcher.group(2), matcher.group(4));
    }

    /** The URI form, {@code spiffe://...}. */
    public String uri() {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    /** Istio's principal form, without the scheme: {@code cluster.local/ns/default/sa/api}. */
    public String principal() {
        return trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    @Override
    public String toString() {
        return uri();
    }
}
