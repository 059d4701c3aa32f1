package io.meshlog.proxy.http;

import io.meshlog.proxy.resilience.Candidates;
import io.meshlog.proxy.resilience.Cluster;
import io.meshlog.proxy.resilience.RetryPolicy;

/**
 * Where and how a request is forwarded after routing.
 *
 * @param cluster the destination service's live state
 * @param candidates the endpoints of the chosen subset, with its merged settings and its breaker
 * @param retry the route's retry policy
 * @param timeoutMillis the whole request's timeout until response headers; 0 for none
 * @param detectOutliers whether tries feed local outlier detection (not for the local app)
 */
public record ForwardTarget(Cluster cluster, Candidates candidates, RetryPolicy retry,
        long timeoutMillis, boolean detectOutliers) {}
