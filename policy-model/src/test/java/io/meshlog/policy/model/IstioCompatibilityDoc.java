package io.meshlog.policy.model;

import io.meshlog.schemas.v1.PolicyKind;

/** Renders docs/istio-compatibility.md from {@link FieldCoverage}, {@link IstioFields} and {@link ApiVersions}. */
final class IstioCompatibilityDoc {
    private IstioCompatibilityDoc() {}

    static String render() {
        var out = new StringBuilder();
        out.append("""
                # Istio compatibility, kind by kind and field by field

                Generated from `policy-model` (`FieldCoverage`, `IstioFields`, `ApiVersions`) by
                `FieldCoverageTest`; do not edit by hand (run that test with `-Dmeshlog.writeDocs=true`).

                Every field of a policy document has one of three outcomes:

                * **ENFORCED**: meshlog applies it, with Istio's meaning, at the place named.
                * **WARNED**: accepted, not enforced; `meshctl analyze` and `meshctl apply` report the code
                  (`ML02xx field accepted but not enforced by meshlog: <why>`) and the proxy's static bootstrap
                  logs it.
                * **REFUSED**: ignoring it would make the policy broader or weaker than written, so the API,
                  `meshctl` and the static bootstrap refuse the document with the reason.

                A key that is neither a meshlog field nor an Istio field listed here is refused as unknown
                (with a "did you mean" hint).

                ## apiVersions

                What is stored, published and printed by `meshctl get -o yaml` is always `%s`.
                A document without `metadata.namespace` is in `default`, as in Istio. A DestinationRule in
                the mesh root namespace (`meshlog-system`, set with the proxy's `identity.rootNamespace` and the
                pipeline's `mesh.root.namespace`) whose host is `*`, `*.local`, `*.cluster.local` or
                `*.svc.cluster.local` applies to every service without a DestinationRule of its own (the service's
                own rule wins whole, as in Istio); a wildcard host elsewhere is rejected by the proxies. Outlier
                detection is off for a service until its DestinationRule or the mesh-wide one sets `outlierDetection`.

                | kind | accepted apiVersions |
                | --- | --- |
                """.formatted(ApiVersions.CANONICAL));
        for (var kind : PolicyKind.values()) {
            out.append("| ").append(kind.name()).append(" | `").append(String.join("`, `", ApiVersions.accepted(kind)))
                    .append("` |\n");
        }
        out.append("\n## Fields of meshlog's schema (`schemas/src/main/avro/PolicyEvent.avsc`)\n\n");
        out.append("Field names are the Avro record and field; Istio's YAML nests some of them "
                + "(`loadBalancer.simple`, `connectionPool.tcp/http`, `percentage.value`, `from[].source`, "
                + "`to[].operation`, `mtls.mode`, `destination.port.number`).\n\n");
        out.append("| field | outcome | where / why |\n| --- | --- | --- |\n");
        FieldCoverage.all().forEach((field, entry) -> out.append("| `").append(field).append("` | ")
                .append(entry.outcome()).append(" | ").append(entry.detail()).append(" |\n"));
        out.append("\n## Istio fields meshlog's schema has no place for\n\n");
        out.append("| Istio field (context.field) | outcome | code | why |\n| --- | --- | --- | --- |\n");
        IstioFields.all().forEach((field, entry) -> out.append("| `").append(field).append("` | ")
                .append(entry.treatment()).append(" | ").append(entry.code() == null ? "" : entry.code())
                .append(" | ").append(entry.why()).append(" |\n"));
        out.append("""

                ## Istio spellings read onto meshlog fields

                | Istio | meshlog |
                | --- | --- |
                | `fault.delay.percent`, `fault.abort.percent` (older integer form) | `percentage.value` |
                | `trafficPolicy.tls.mode: ISTIO_MUTUAL` | ENFORCED: meshlog's auto mTLS to endpoints with a sidecar |
                | `trafficPolicy.tls.mode: DISABLE` | WARNED ML0207: mTLS to sidecars stays on |
                | `trafficPolicy.tls.mode: SIMPLE` / `MUTUAL` | REFUSED: TLS origination with your own certificates is not implemented |
                | `loadBalancer.simple: PASSTHROUGH` | REFUSED: the proxy always picks an endpoint |
                | `action: CUSTOM` | REFUSED: external authorization is not implemented |
                """);
        return out.toString();
    }

}
