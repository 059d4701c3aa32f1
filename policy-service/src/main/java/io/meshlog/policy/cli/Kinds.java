package io.meshlog.policy.cli;

import io.meshlog.policy.model.PolicyKinds;
import io.meshlog.schemas.v1.PolicyKind;
import java.util.List;

/** Kind arguments of meshctl commands. */
final class Kinds {
    private Kinds() {}

    static PolicyKind parse(String text) {
        var kind = PolicyKinds.find(text);
        if (kind == null) {
            throw new CliException("error: unknown kind \"" + text + "\"; known kinds: " + PolicyKinds.names(), List.of(), 2);
        }
        return kind;
    }

    static String path(String namespace, PolicyKind kind, String name) {
        return ApiClient.BASE + "/namespaces/" + ApiClient.encode(namespace) + "/" + PolicyKinds.plural(kind)
                + "/" + ApiClient.encode(name);
    }
}
