package io.meshlog.policy.validate;

import io.meshlog.schemas.v1.DestinationRuleSpec;
import java.util.Optional;

/** What validation may know beyond one document: the DestinationRules already in force. */
@FunctionalInterface
public interface ValidationContext {
    /** Knows nothing else: cross-document rules are skipped. */
    ValidationContext NONE = (namespace, host) -> Optional.empty();

    /** The DestinationRule for {@code host} as seen from {@code namespace}, if one is known. */
    Optional<DestinationRuleSpec> destinationRule(String namespace, String host);

    /** Whether {@code a} and {@code b} name the same service seen from {@code namespace}. */
    static boolean sameHost(String a, String b, String namespace) {
        return sameHost(a, namespace, b, namespace);
    }

    /** Whether host {@code a} written in namespace {@code aNamespace} is host {@code b} written in {@code bNamespace}. */
    static boolean sameHost(String a, String aNamespace, String b, String bNamespace) {
        return shortName(a, aNamespace).equals(shortName(b, bNamespace));
    }

    private static String shortName(String host, String namespace) {
        var parts = host.split("\\.");
        if (parts.length == 1) {
            return host + "." + namespace;
        }
        return parts[0] + "." + parts[1];
    }
}
