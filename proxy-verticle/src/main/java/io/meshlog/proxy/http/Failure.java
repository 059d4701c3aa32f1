package io.meshlog.proxy.http;

import io.meshlog.schemas.v1.ResponseFlag;

/** A request the proxy answers itself, with the status and Envoy response flag it gets. */
public enum Failure {
    CONNECT_FAILURE(503, ResponseFlag.UF, "upstream connect error"),
    TIMEOUT(504, ResponseFlag.UT, "upstream request timeout"),
    OVERFLOW(503, ResponseFlag.UO, "upstream overflow"),
    UPSTREAM_RESET(503, ResponseFlag.UC, "upstream reset before response"),
    RATE_LIMITED(429, ResponseFlag.RL, "local rate limited"),
    FAULT_ABORT(503, ResponseFlag.FI, "fault filter abort"),
    NO_HEALTHY_UPSTREAM(503, ResponseFlag.UH, "no healthy upstream"),
    NO_ROUTE(404, ResponseFlag.NR, "no route"),
    /** A host outside the Sidecar's egress hosts: Istio's REGISTRY_ONLY sends it to its BlackHoleCluster (502). */
    OUT_OF_SCOPE(502, ResponseFlag.NR, "no route: the host is outside this proxy's Sidecar egress hosts"),
    DENIED(403, ResponseFlag.UAEX, "RBAC: access denied"),
    /** A failure of the proxy's own code on the forward path, caught by the safety net (meshlog's flag IE). */
    INTERNAL_ERROR(500, ResponseFlag.IE, "internal error in the proxy");

    private final int status;
    private final ResponseFlag flag;
    private final String body;

    Failure(int status, ResponseFlag flag, String body) {
        this.status = status;
        this.flag = flag;
        this.body = body;
    }

    public int status() {
        return status;
    }

    /** The Envoy response flag, or null when Envoy sets none for this reply. */
    public ResponseFlag flag() {
        return flag;
    }

    /** The plain-text body of the local reply (Envoy's wording). */
    public String body() {
        return body;
    }
}
