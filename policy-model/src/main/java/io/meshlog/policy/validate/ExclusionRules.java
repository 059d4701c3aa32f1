package io.meshlog.policy.validate;

import io.meshlog.schemas.v1.ExcludedWorkloadSpec;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The rules of an {@code ExcludedWorkload}: a justification is only worth keeping when it says who
 * owns it, why, since when and when it is looked at again, so all four are required; services
 * and endpoints go together because a proxy can only call an excluded service where it is told
 * the service listens.
 */
public final class ExclusionRules {
    private ExclusionRules() {}

    /** The ISO date {@code text} (yyyy-MM-dd), or null when it is not one. */
    public static LocalDate date(String text) {
        try {
            return text == null ? null : LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static void excludedWorkload(ExcludedWorkloadSpec spec, Checks checks) {
        checks.dnsLabel(spec.getWorkload(), "spec.workload");
        checks.require(!spec.getOwner().isBlank(), "spec.owner", "must name who owns the exclusion (a team or a person)");
        checks.require(!spec.getReason().isBlank(), "spec.reason",
                "must say why the workload cannot run a sidecar: the justification is what the registry is for");
        var since = date(spec.getSince());
        var review = date(spec.getReviewDate());
        checks.require(since != null, "spec.since", "must be an ISO date (yyyy-MM-dd), but was \"" + spec.getSince() + "\"");
        checks.require(review != null, "spec.reviewDate",
                "must be an ISO date (yyyy-MM-dd), but was \"" + spec.getReviewDate() + "\"");
        checks.require(since == null || review == null || !review.isBefore(since), "spec.reviewDate",
                "must not be before spec.since (" + spec.getSince() + "), but was " + spec.getReviewDate());
        names(spec.getServices(), "spec.services", checks);
        checks.require(spec.getServices().isEmpty() == spec.getEndpoints().isEmpty(), "spec.endpoints",
                spec.getServices().isEmpty()
                        ? "needs spec.services: name the services served at these endpoints"
                        : "must list where the services are served (host:port): no sidecar registers an excluded workload");
        for (int i = 0; i < spec.getEndpoints().size(); i++) {
            endpoint(spec.getEndpoints().get(i), "spec.endpoints[" + i + "]", checks);
        }
        for (int i = 0; i < spec.getCalls().size(); i++) {
            var call = spec.getCalls().get(i);
            var parts = call.split("\\.", -1);
            checks.require(parts.length <= 2, "spec.calls[" + i + "]",
                    "must be a service (host) or host.namespace, but was \"" + call + "\"");
            for (var part : parts) {
                checks.dnsLabel(part, "spec.calls[" + i + "]");
            }
        }
    }

    private static void names(List<String> names, String path, Checks checks) {
        for (int i = 0; i < names.size(); i++) {
            checks.dnsLabel(names.get(i), path + "[" + i + "]");
        }
    }

    private static void endpoint(String text, String path, Checks checks) {
        var colon = text.lastIndexOf(':');
        int port = -1;
        if (colon > 0) {
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        checks.require(colon > 0 && port >= 1 && port <= 65535, path,
                "must be host:port with a port from 1 to 65535, but was \"" + text + "\"");
    }
}
