package io.meshlog.policy.cli;

import io.meshlog.schemas.v1.PolicyKind;
import java.util.Locale;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code KIND NAME [-n NAMESPACE]} that names one policy, shared by the commands as a mixin. */
final class PolicyRef {
    @Parameters(index = "0", paramLabel = "KIND", description = "policy kind, e.g. VirtualService or vs")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default")
    String namespace;

    PolicyKind policyKind() {
        return Kinds.parse(kind);
    }

    /** The policy's API path. */
    String path() {
        return Kinds.path(namespace, policyKind(), name);
    }

    /** {@code kind namespace/name}, as commands print it. */
    String display() {
        return policyKind().name().toLowerCase(Locale.ROOT) + " " + namespace + "/" + name;
    }
}
