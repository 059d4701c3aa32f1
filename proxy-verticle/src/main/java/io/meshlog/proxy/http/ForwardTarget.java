package io.meshlog.proxy.http;

import io.meshlog.proxy.resilience.Candidates;
import io.meshlog.proxy.resilience.Cluster;
import io.meshlog.proxy.resilience.EndpointPicker;
import io.meshlog.proxy.resilience.RetryPolicy;
import io.meshlog.proxy.route.HeaderOps;
import java.util.List;

/**
 * Where and how a request is forwarded after routing.
 *
 * @param cluster the destination service's live state
 * @param candidates the endpoints of the chosen subset, with its merged settings and its breaker
 * @param retry the route's retry policy
 * @param timeoutMillis the whole request's timeout until response headers; 0 for none
 * @param detectOutliers whether tries feed local outlier detection (not for the local app)
 * @param responseHeaders header operations applied, in order, to the relayed response
 * @param hash the request key's hash for a ring-hash destination, or {@link EndpointPicker#NO_HASH}
 * @param mirror where a copy of the request goes, or null when it is not mirrored
 */
public record ForwardTarget(Cluster cluster, Candidates candidates, RetryPolicy retry,
        long timeoutMillis, boolean detectOutliers, List<HeaderOps> responseHeaders, long hash, MirrorTarget mirror) {
    public ForwardTarget {
        responseHeaders = List.copyOf(responseHeaders);
    }

    /** A target that is not mirrored. */
    public ForwardTarget(Cluster cluster, Candidates candidates, RetryPolicy retry, long timeoutMillis,
            boolean detectOutliers, List<HeaderOps> responseHeaders, long hash) {
        this(cluster, candidates, retry, timeoutMillis, detectOutliers, responseHeaders, hash, null);
    }

    /** A target without response header operations or request hash. */
    public ForwardTarget(Cluster cluster, Candidates candidates, RetryPolicy retry, long timeoutMillis,
            boolean detectOutliers) {
        this(cluster, candidates, retry, timeoutMillis, detectOutliers, List.of(), EndpointPicker.NO_HASH);
    }
}
