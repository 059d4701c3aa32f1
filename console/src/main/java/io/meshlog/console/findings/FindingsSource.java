package io.meshlog.console.findings;

import io.meshlog.schemas.v1.PolicyEvent;
import java.util.List;

/**
 * Checks the policies in force and says what is wrong with them. The console does not analyze
 * policies itself (that is policy-service's {@code analyze}, and no service module may depend on
 * another): whoever starts the console passes an implementation, e.g. the launcher wires
 * policy-service's Analyzer. Called on the feed thread after the policies changed.
 */
@FunctionalInterface
public interface FindingsSource {
    /** No checks: the console shows no findings. */
    FindingsSource NONE = policies -> List.of();

    /** The findings over {@code policies}, the latest event of every policy in force. */
    List<ConfigFinding> analyze(List<PolicyEvent> policies);
}
