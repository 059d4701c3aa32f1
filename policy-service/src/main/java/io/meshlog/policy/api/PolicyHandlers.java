package io.meshlog.policy.api;

import io.meshlog.policy.model.DocumentRenderer;
import io.meshlog.policy.model.PolicyEvents;
import io.meshlog.policy.model.PolicyKey;
import io.meshlog.policy.model.PolicyKinds;
import io.meshlog.policy.model.SpecDiff;
import io.meshlog.policy.parse.DocumentParser;
import io.meshlog.policy.publish.NotFoundException;
import io.meshlog.policy.publish.PolicyWriter;
import io.meshlog.policy.publish.WriteResult;
import io.meshlog.policy.store.PolicyView;
import io.meshlog.policy.store.PolicyVersion;
import io.meshlog.policy.validate.SpecValidator;
import io.meshlog.policy.validate.ValidationContext;
import io.meshlog.policy.validate.Violation;
import io.meshlog.schemas.v1.DestinationRuleSpec;
import io.meshlog.schemas.v1.PolicyKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The policy endpoints: put, get, list, delete, history, rollback. */
final class PolicyHandlers {
    private final DocumentParser parser;
    private final PolicyView view;
    private final PolicyWriter writer;
    private final ApiMetrics metrics;

    PolicyHandlers(DocumentParser parser, PolicyView view, PolicyWriter writer, ApiMetrics metrics) {
        this.parser = parser;
        this.view = view;
        this.writer = writer;
        this.metrics = metrics;
    }

    Future<Reply> put(RoutingContext ctx, String caller) {
        var key = key(ctx);
        var body = ctx.body() == null ? null : ctx.body().asString();
        if (body == null || body.isBlank()) {
            throw new ApiException(400, "the request body must be a policy document (YAML or JSON)");
        }
        var documents = parser.parse(body, key.namespace());
        if (documents.size() != 1) {
            throw new ApiException(400, "expected exactly one document, but found " + documents.size());
        }
        var parsed = documents.get(0);
        var violations = new ArrayList<>(parsed.violations());
        if (parsed.document() != null) {
            var doc = parsed.document();
            mismatch(doc.kind().name(), key.kind().name(), "kind", parsed.lineOf("kind"), violations);
            mismatch(doc.namespace(), key.namespace(), "metadata.namespace", parsed.lineOf("metadata.namespace"), violations);
            mismatch(doc.name(), key.name(), "metadata.name", parsed.lineOf("metadata.name"), violations);
            violations.addAll(SpecValidator.validate(doc, parsed::lineOf, context()));
            if (doc.spec() instanceof DestinationRuleSpec dr) {
                violations.addAll(orphanedRoutes(doc.namespace(), dr, parsed.lineOf("spec.subsets")));
            }
        }
        var errors = violations.stream().filter(Violation::isError).toList();
        if (!errors.isEmpty() || parsed.document() == null) {
            metrics.validationFailure(key.kind().name());
            throw new ApiException(422, key + " is invalid: " + errors.size() + " violation(s)", violations);
        }
        var warnings = violations.stream().filter(v -> !v.isError()).toList();
        return Future.fromCompletionStage(writer.put(parsed.document(), caller, dryRun(ctx)), ctx.vertx().getOrCreateContext())
                .map(result -> reply(result, result.created() ? "created" : result.changed() ? "configured" : "unchanged",
                        warnings));
    }

    Future<Reply> get(RoutingContext ctx) {
        var key = key(ctx);
        var event = view.get(key).orElseThrow(() -> new NotFoundException(key + " does not exist"));
        return Future.succeededFuture(new Reply(200, new JsonObject(PolicyEvents.render(event))));
    }

    Future<Reply> list(RoutingContext ctx) {
        var kind = kind(ctx.pathParam("kind"));
        var namespace = ctx.pathParam("ns");
        var labels = LabelSelector.parse(ctx.queryParams().get("labelSelector"));
        var items = new JsonArray();
        view.list(kind, namespace, labels).forEach(e -> items.add(new JsonObject(PolicyEvents.render(e))));
        return Future.succeededFuture(new Reply(200, new JsonObject().put("kind", kind.name() + "List").put("items", items)));
    }

    Future<Reply> delete(RoutingContext ctx, String caller) {
        var key = key(ctx);
        var expected = longParam(ctx, "generation");
        return Future.fromCompletionStage(writer.delete(key, expected, caller, dryRun(ctx)), ctx.vertx().getOrCreateContext())
                .map(result -> new Reply(200, new JsonObject().put("result", "deleted").put("dryRun", result.dryRun())
                        .put("policy", key.toString()).put("generation", result.generation())));
    }

    Future<Reply> history(RoutingContext ctx) {
        var key = key(ctx);
        var versions = view.history(key);
        if (versions.isEmpty()) {
            throw new NotFoundException(key + " has no history in the log");
        }
        var items = new JsonArray();
        Map<String, Object> previous = null;
        for (var version : versions) {
            var tree = tree(version);
            var changes = new JsonArray();
            SpecDiff.between(previous, tree).forEach(c -> changes.add(new JsonObject().put("path", c.path())
                    .put("from", c.from()).put("to", c.to())));
            var item = new JsonObject().put("generation", version.generation()).put("author", version.author())
                    .put("time", version.time().toString()).put("deleted", version.deleted())
                    .put("offset", version.offset()).put("changes", changes);
            if (!version.deleted()) {
                item.put("object", new JsonObject(PolicyEvents.render(version.event())));
            }
            items.add(item);
            previous = tree;
        }
        return Future.succeededFuture(new Reply(200, new JsonObject().put("policy", key.toString()).put("items", items)));
    }

    Future<Reply> rollback(RoutingContext ctx, String caller) {
        var key = key(ctx);
        var to = longParam(ctx, "to");
        if (to == null) {
            throw new ApiException(400, "rollback needs ?to=<generation>");
        }
        var expected = longParam(ctx, "generation");
        return Future.fromCompletionStage(writer.rollback(key, to, expected, caller, dryRun(ctx)), ctx.vertx().getOrCreateContext())
                .map(result -> reply(result, "rolled back to generation " + to, List.of()));
    }

    private static Map<String, Object> tree(PolicyVersion version) {
        if (version.deleted()) {
            return Map.of();
        }
        var doc = PolicyEvents.document(version.event());
        var tree = new LinkedHashMap<String, Object>();
        tree.put("metadata", Map.of("labels", doc.sortedLabels()));
        tree.put("spec", DocumentRenderer.spec((org.apache.avro.generic.IndexedRecord) doc.spec()));
        return tree;
    }

    private static Reply reply(WriteResult result, String outcome, List<Violation> warnings) {
        var warningsJson = new JsonArray();
        warnings.forEach(w -> warningsJson.add(ApiErrors.violation(w)));
        var body = new JsonObject().put("result", outcome).put("dryRun", result.dryRun())
                .put("policy", result.key().toString()).put("generation", result.generation())
                .put("warnings", warningsJson).put("object", new JsonObject(PolicyEvents.render(result.event())));
        return new Reply(result.created() && !result.dryRun() ? 201 : 200, body);
    }

    private ValidationContext context() {
        return (namespace, host) -> view.list(PolicyKind.DestinationRule, null, Map.of()).stream()
                .filter(e -> ValidationContext.sameHost(((DestinationRuleSpec) e.getSpec()).getHost(), e.getNamespace(),
                        host, namespace))
                .map(e -> (DestinationRuleSpec) e.getSpec())
                .findFirst();
    }

    /** Warnings for VirtualServices in force that route to subsets this DestinationRule no longer defines. */
    private List<Violation> orphanedRoutes(String namespace, DestinationRuleSpec dr, int line) {
        var out = new ArrayList<Violation>();
        for (var event : view.list(PolicyKind.VirtualService, null, Map.of())) {
            var vs = (io.meshlog.schemas.v1.VirtualServiceSpec) event.getSpec();
            vs.getHttp().forEach(route -> route.getRoute().forEach(destination -> {
                var subset = destination.getDestination().getSubset();
                if (subset != null && dr.getSubsets().stream().noneMatch(s -> s.getName().equals(subset))
                        && ValidationContext.sameHost(dr.getHost(), namespace, destination.getDestination().getHost(),
                                event.getNamespace())) {
                    out.add(Violation.warning("spec.subsets", line, "VirtualService " + event.getNamespace() + "/"
                            + event.getName() + " routes to subset \"" + subset + "\", which this DestinationRule no longer defines"));
                }
            }));
        }
        return out.stream().distinct().toList();
    }

    private static void mismatch(String actual, String expected, String path, int line, List<Violation> violations) {
        if (!actual.equals(expected)) {
            violations.add(Violation.error(path, line, "must match the URL (\"" + expected + "\"), but was \"" + actual + "\""));
        }
    }

    static PolicyKey key(RoutingContext ctx) {
        return new PolicyKey(kind(ctx.pathParam("kind")), ctx.pathParam("ns"), ctx.pathParam("name"));
    }

    static PolicyKind kind(String text) {
        var kind = PolicyKinds.find(text);
        if (kind == null) {
            throw new ApiException(404, "unknown kind \"" + text + "\"; known kinds: " + PolicyKinds.names());
        }
        return kind;
    }

    private static boolean dryRun(RoutingContext ctx) {
        return "true".equalsIgnoreCase(ctx.queryParams().get("dryRun"));
    }

    private static Long longParam(RoutingContext ctx, String name) {
        var value = ctx.queryParams().get(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ApiException(400, "query parameter " + name + " must be a number, but was \"" + value + "\"");
        }
    }

    /** A status and a JSON body. */
    record Reply(int status, JsonObject body) {}
}
