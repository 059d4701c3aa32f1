package io.meshlog.policy.parse;

import io.meshlog.policy.model.IstioFields;
import io.meshlog.policy.validate.Violation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Istio spellings that map onto a meshlog field with a different shape: the older integer
 * {@code fault.delay.percent} / {@code fault.abort.percent} (onto {@code percentage.value}) and
 * {@code trafficPolicy.tls.mode} (onto meshlog's auto mTLS, which is what {@code ISTIO_MUTUAL} asks for) and
 * the deprecated top-level {@code consistentHash.minimumRingSize} (onto {@code ringHash.minimumRingSize}).
 */
final class IstioAliases {
    private static final String PERCENT = "percent";
    private static final String TLS = "tls";
    private static final String LABELS = "labels";

    private IstioAliases() {}

    /** The extra keys a record of {@code schema} accepts. */
    static Set<String> aliases(Schema schema) {
        return switch (schema.getName()) {
            case "FaultDelay", "FaultAbort" -> Set.of(PERCENT);
            case "TrafficPolicy" -> Set.of(TLS);
            // Istio's older spelling of ringHash.minimumRingSize (the field is in the ringHash group)
            case "ConsistentHashLB" -> Set.of("minimumRingSize");
            // Istio's Sidecar.workloadSelector says labels where the security kinds' selector says matchLabels
            case "WorkloadSelector" -> Set.of(LABELS);
            default -> Set.of();
        };
    }

    /**
     * Replaces the aliases found in {@code present} by the fields they stand for; a name that is an
     * alias only in some records (e.g. {@code labels}: an alias in a WorkloadSelector, a field of its
     * own in a DestinationRule subset) is left alone everywhere else.
     */
    static void resolve(Schema schema, Map<String, Node> present, String path, SpecBinder binder) {
        var aliases = aliases(schema);
        if (aliases.contains(PERCENT) && present.containsKey(PERCENT)) {
            percent(present.remove(PERCENT), present, path, binder);
        }
        if (aliases.contains(LABELS) && present.containsKey(LABELS)) {
            var labels = present.remove(LABELS);
            if (present.containsKey("matchLabels")) {
                binder.report(Violation.error(path + "." + LABELS, Nodes.line(labels), "set labels or matchLabels, not both"));
            } else {
                present.put("matchLabels", labels);
            }
        }
        if (aliases.contains(TLS) && present.containsKey(TLS)) {
            tls(present.remove(TLS), path + "." + TLS, binder);
        }
    }

    private static void percent(Node percent, Map<String, Node> present, String path, SpecBinder binder) {
        if (present.containsKey("percentage")) {
            binder.report(Violation.error(path + "." + PERCENT, Nodes.line(percent),
                    "set percentage or the older percent, not both"));
            return;
        }
        if (!Nodes.isScalar(percent, Tag.INT)) {
            binder.report(Violation.error(path + "." + PERCENT, Nodes.line(percent),
                    "must be a whole number between 0 and 100 (or use percentage.value), but was " + Nodes.describe(percent)));
            return;
        }
        var key = new ScalarNode(Tag.STR, "value", ScalarStyle.PLAIN);
        present.put("percentage", new MappingNode(Tag.MAP, true, List.of(new NodeTuple(key, percent)), FlowStyle.AUTO,
                percent.getStartMark(), percent.getEndMark()));
    }

    /** ISTIO_MUTUAL is meshlog's auto mTLS; DISABLE is warned (mTLS stays on); SIMPLE and MUTUAL are refused. */
    private static void tls(Node tls, String path, SpecBinder binder) {
        if (!(tls instanceof MappingNode mapping)) {
            binder.report(Violation.error(path, Nodes.line(tls), "must be a mapping with mode, but was " + Nodes.describe(tls)));
            return;
        }
        for (var tuple : mapping.getValue()) {
            var key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
            var value = tuple.getValueNode();
            var line = Nodes.line(tuple.getKeyNode());
            if (!"mode".equals(key)) {
                binder.report(Violation.notEnforced(path + "." + key, line, IstioFields.TLS,
                        "mesh mTLS uses the mesh certificates and the endpoints' SPIFFE ids"));
                continue;
            }
            var mode = Nodes.isScalar(value, Tag.STR) ? Nodes.text(value) : "";
            switch (mode) {
                case "ISTIO_MUTUAL" -> { }
                case "DISABLE" -> binder.report(Violation.notEnforced(path + ".mode", line, IstioFields.TLS,
                        "mTLS to endpoints with a sidecar stays on (auto mTLS); endpoints without one get plaintext"));
                case "SIMPLE", "MUTUAL" -> binder.report(Violation.error(path + ".mode", line,
                        "is not supported by meshlog: TLS origination with your own certificates is not implemented "
                                + "(use ISTIO_MUTUAL for mesh mTLS)"));
                default -> binder.report(Violation.error(path + ".mode", line,
                        "must be one of DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL, but was " + Nodes.describe(value)));
            }
        }
    }
}
