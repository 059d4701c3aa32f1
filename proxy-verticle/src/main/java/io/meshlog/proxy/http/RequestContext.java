package io.meshlog.proxy.http;

import io.meshlog.proxy.tracing.RequestTracer.RequestSpan;
import io.meshlog.schemas.v1.Reporter;
import io.vertx.core.http.HttpServerRequest;

/**
 * What one downstream request carries through the proxy: ids, where it goes, what happened.
 * Created once per request; written only by the event loop that owns the request.
 */
public final class RequestContext {
    final HttpServerRequest request;
    final Reporter reporter;
    final long startNanos;
    final long startMillis;
    String requestId;
    RequestSpan span;
    String method;
    /** Path and query as sent upstream. */
    String uri;
    /** The authority sent upstream; null to pass the downstream one on. */
    io.vertx.core.net.HostAndPort authority;
    String destinationService;
    String subset;
    String route;
    String destinationWorkload;
    int flags;
    int status;
    long requestBytes;
    long responseBytes;
    boolean mtls;
    String sourcePrincipal;
    /** Why the last try's transport failed (TLS, server identity), for the local reply; null when it did not. */
    String transportFailure;
    /** The registry entry the last try went to (outbound), for the destination_* metric labels. */
    io.meshlog.proxy.discovery.Endpoint destinationEndpoint;
    /** Whether the try whose response was relayed went over mTLS (outbound). */
    boolean upstreamMtls;
    /** What the caller's sidecar announced about its workload (inbound), null when nothing (valid). */
    io.meshlog.proxy.observability.WorkloadMetadata peer;
    /** The Telemetry policies in force when the request started (the snapshot it read). */
    io.meshlog.proxy.observability.TelemetryPolicy telemetry = io.meshlog.proxy.observability.TelemetryPolicy.DEFAULT;
    /** Whether this sidecar's MeshMode is OBSERVE for this request: it decides, records, and enforces nothing. */
    boolean observe;
    /** What enforcement would have done ({@link WouldHaves} bits), set only when {@link #observe}. */
    int wouldHave;
    /** Whether metrics and span were recorded: the finisher records each request once. */
    boolean recorded;

    public RequestContext(HttpServerRequest request, Reporter reporter, long startNanos, long startMillis) {
        this.request = request;
        this.reporter = reporter;
        this.startNanos = startNanos;
        this.startMillis = startMillis;
    }

    public HttpServerRequest request() { return request; }
    public Reporter reporter() { return reporter; }
    public long startNanos() { return startNanos; }
    public long startMillis() { return startMillis; }
    public String requestId() { return requestId; }
    public void requestId(String value) { requestId = value; }
    public RequestSpan span() { return span; }
    public void span(RequestSpan value) { span = value; }
    public String method() { return method; }
    public void method(String value) { method = value; }
    public String uri() { return uri; }
    public void uri(String value) { uri = value; }
    public void authority(io.vertx.core.net.HostAndPort value) { authority = value; }
    /** The authority sent upstream when the proxy chose one (absolute-form URI, rewrite), else null. */
    public io.vertx.core.net.HostAndPort authority() { return authority; }
    public String destinationService() { return destinationService; }
    public void destinationService(String value) { destinationService = value; }
    public String subset() { return subset; }
    public void subset(String value) { subset = value; }
    public String route() { return route; }
    public void route(String value) { route = value; }
    public String destinationWorkload() { return destinationWorkload; }
    public void destinationWorkload(String value) { destinationWorkload = value; }
    public int flags() { return flags; }
    public void addFlag(io.meshlog.schemas.v1.ResponseFlag flag) { flags |= ResponseFlags.of(flag); }
    public int status() { return status; }
    public void status(int value) { status = value; }
    public long requestBytes() { return requestBytes; }
    public void requestBytes(long value) { requestBytes = value; }
    public long responseBytes() { return responseBytes; }
    public void addResponseBytes(long value) { responseBytes += value; }
    public boolean mtls() { return mtls; }
    /** Set by a TLS interceptor when the caller came over mTLS. */
    public void mtls(boolean value, String principal) { mtls = value; sourcePrincipal = principal; }
    public String sourcePrincipal() { return sourcePrincipal; }
    public String transportFailure() { return transportFailure; }
    public void transportFailure(String value) { transportFailure = value; }
    public io.meshlog.proxy.discovery.Endpoint destinationEndpoint() { return destinationEndpoint; }
    public boolean upstreamMtls() { return upstreamMtls; }
    public io.meshlog.proxy.observability.WorkloadMetadata peer() { return peer; }
    public void peer(io.meshlog.proxy.observability.WorkloadMetadata value) { peer = value; }
    public io.meshlog.proxy.observability.TelemetryPolicy telemetry() { return telemetry; }
    public void telemetry(io.meshlog.proxy.observability.TelemetryPolicy value) { telemetry = value; }
    public boolean observe() { return observe; }
    public void observe(boolean value) { observe = value; }
    public int wouldHave() { return wouldHave; }
    /** Records what enforcement would have done to this request (OBSERVE mode). */
    public void wouldHave(io.meshlog.schemas.v1.WouldHave decision) { wouldHave |= WouldHaves.of(decision); }
}
