package io.meshlog.pipeline.outlier;

import io.meshlog.pipeline.policy.ServicePolicies;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.OutlierDetection;
import io.meshlog.schemas.v1.PolicyEvent;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outlier detection one DestinationRule asks for, per destination: its top-level
 * {@code outlierDetection} for requests without a subset (or to a subset without its own), and each
 * subset's own block, which replaces the rule's whole as Istio merges subset policies. Null where
 * the rule has none: detection is off there, as in Istio.
 */
final class RuleOutlierSettings {
    private static final Logger LOGGER = LoggerFactory.getLogger(RuleOutlierSettings.class);

    /** No rule, or a rule without outlierDetection anywhere: no detection at all. */
    static final RuleOutlierSettings OFF = new RuleOutlierSettings(null, Map.of());

    private final OutlierDetectionConfig top;
    private final Map<String, OutlierDetectionConfig> subsets;

    private RuleOutlierSettings(OutlierDetectionConfig top, Map<String, OutlierDetectionConfig> subsets) {
        this.top = top;
        this.subsets = Map.copyOf(subsets);
    }

    /** The settings of {@code rule}; {@link #OFF} for null. */
    static RuleOutlierSettings of(PolicyEvent rule) {
        if (rule == null || !(rule.getSpec() instanceof DestinationRuleSpec spec)) {
            return OFF;
        }
        var traffic = spec.getTrafficPolicy();
        var top = traffic == null ? null : config(traffic.getOutlierDetection(), rule, "spec.trafficPolicy");
        var subsets = new HashMap<String, OutlierDetectionConfig>();
        for (var subset : spec.getSubsets()) {
            var own = subset.getTrafficPolicy() == null ? null : config(subset.getTrafficPolicy().getOutlierDetection(),
                    rule, "spec.subsets[" + subset.getName() + "].trafficPolicy");
            if (own != null) {
                subsets.put(subset.getName(), own);
            }
        }
        return top == null && subsets.isEmpty() ? OFF : new RuleOutlierSettings(top, subsets);
    }

    /** The settings for results of requests routed to {@code subset} (null: none), or null when detection is off. */
    OutlierDetectionConfig forSubset(String subset) {
        var own = subset == null ? null : subsets.get(subset);
        return own != null ? own : top;
    }

    private static OutlierDetectionConfig config(OutlierDetection block, PolicyEvent rule, String path) {
        if (block == null) {
            return null;
        }
        try {
            return OutlierDetectionConfig.from(block);
        } catch (RuntimeException e) {
            // validation refuses these at the API; a rule that still reaches the topic asked for detection
            LOGGER.atWarn().addKeyValue("policyName", ServicePolicies.keyOf(rule)).addKeyValue("path", path)
                    .addKeyValue("error", e.getMessage()).log("invalid outlierDetection, using the defaults");
            return OutlierDetectionConfig.DEFAULTS;
        }
    }
}
