package io.meshlog.proxy.http;

import io.meshlog.proxy.observability.PeerMetadataHeader;
import io.meshlog.proxy.observability.ProxyMetrics;
import io.meshlog.proxy.observability.WorkloadMetadata;
import io.meshlog.proxy.discovery.Endpoint;
import io.meshlog.proxy.identity.SpiffeId;
import io.meshlog.schemas.v1.Reporter;
import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Istio's standard metric labels of one finished request ({@link ProxyMetrics.Key}), with Istio's
 * value formats: {@code destination_service} as {@code name.namespace.svc.cluster.local},
 * principals as {@code spiffe://…}, {@code unknown} where Istio says unknown.
 *
 * <ul>
 *   <li>Outbound ({@code reporter="source"}): the source is this workload; the destination is the
 *       registry entry of the endpoint the last try went to (workload, labels, namespace from its
 *       SPIFFE id), unknown when no try was made. Principals are set when the try used mTLS.
 *   <li>Inbound ({@code reporter="destination"}): the destination is this workload; the source is
 *       what the caller's sidecar announced in {@link PeerMetadataHeader#HEADER}. With mTLS the
 *       peer's certificate is the authority: its SPIFFE id is {@code source_principal} and its
 *       namespace {@code source_workload_namespace}, and announced metadata of another namespace is
 *       ignored.
 * </ul>
 */
public final class RequestLabels {
    private static final String CLUSTER_DOMAIN = "svc.cluster.local";
    private static final int MAX_CACHED = 4096;

    private final WorkloadMetadata self;
    private final String service;
    private final Supplier<String> ownPrincipal;
    private final String peerHeader;
    private final PeerMetadataHeader peers = new PeerMetadataHeader();
    private final Map<Endpoint, WorkloadMetadata> endpoints = new ConcurrentHashMap<>();
    private final Map<String, String> principalNamespaces = new ConcurrentHashMap<>();

    /**
     * @param self this workload
     * @param service the service this workload serves (its inbound {@code destination_service})
     * @param ownPrincipal this workload's SPIFFE id, or null while it has none (no mTLS)
     */
    public RequestLabels(WorkloadMetadata self, String service, Supplier<String> ownPrincipal) {
        this.self = self;
        this.service = service;
        this.ownPrincipal = ownPrincipal;
        this.peerHeader = PeerMetadataHeader.encode(self);
    }

    /** The {@link PeerMetadataHeader#HEADER} value the outbound listener sends. */
    public String peerHeader() {
        return peerHeader;
    }

    /** Inbound: reads the caller's metadata and removes the header, so the app never sees it. */
    public WorkloadMetadata takePeer(MultiMap headers) {
        var value = headers.get(PeerMetadataHeader.HEADER);
        if (value == null) {
            return null;
        }
        headers.remove(PeerMetadataHeader.HEADER);
        return peers.decode(value);
    }

    /** The labels of {@code ctx}, finished with {@code ctx.status()}. */
    public ProxyMetrics.Key of(RequestContext ctx) {
        var response = ctx.request().response();
        boolean grpc = isGrpc(ctx.request().getHeader("content-type"));
        String grpcStatus = grpc ? grpcStatus(response.trailers(), response.headers()) : "";
        var flags = ResponseFlags.label(ctx.flags());
        return ctx.reporter() == Reporter.SOURCE ? outbound(ctx, grpc, grpcStatus, flags) : inbound(ctx, grpc, grpcStatus, flags);
    }

    private ProxyMetrics.Key outbound(RequestContext ctx, boolean grpc, String grpcStatus, String flags) {
        var host = ctx.destinationService() != null ? ctx.destinationService() : WorkloadMetadata.UNKNOWN;
        var endpoint = ctx.destinationEndpoint();
        var destination = endpoint == null ? WorkloadMetadata.UNKNOWN_WORKLOAD : endpoints(endpoint);
        String name = serviceName(host);
        String namespace = endpoint != null ? destination.namespace() : serviceNamespace(host, self.namespace());
        boolean mtls = ctx.upstreamMtls();
        var principal = ownPrincipal();
        return new ProxyMetrics.Key("source", self, mtls && principal != null ? principal : WorkloadMetadata.UNKNOWN,
                destination, mtls && endpoint != null && !endpoint.spiffeId().isEmpty() ? endpoint.spiffeId()
                        : WorkloadMetadata.UNKNOWN,
                fqdn(host, name, namespace), name, namespace, grpc ? "grpc" : "http", ctx.status(), grpcStatus, flags,
                mtls ? "mutual_tls" : "unknown");
    }

    private ProxyMetrics.Key inbound(RequestContext ctx, boolean grpc, String grpcStatus, String flags) {
        var peer = ctx.peer();
        var principal = ctx.sourcePrincipal();
        WorkloadMetadata source;
        if (principal != null) {
            var namespace = principalNamespaces.size() < MAX_CACHED
                    ? principalNamespaces.computeIfAbsent(principal, RequestLabels::namespaceOf) : namespaceOf(principal);
            source = peer != null && peer.namespace().equals(namespace) ? peer : unknownIn(namespace);
        } else {
            source = peer != null ? peer : WorkloadMetadata.UNKNOWN_WORKLOAD;
        }
        boolean mtls = ctx.mtls();
        var own = ownPrincipal();
        return new ProxyMetrics.Key("destination", source, principal != null ? principal : WorkloadMetadata.UNKNOWN, self,
                mtls && own != null ? own : WorkloadMetadata.UNKNOWN, service + "." + self.namespace() + "." + CLUSTER_DOMAIN,
                service, self.namespace(), grpc ? "grpc" : "http", ctx.status(), grpcStatus, flags,
                mtls ? "mutual_tls" : "none");
    }

    private String ownPrincipal() {
        return ownPrincipal.get();
    }

    private WorkloadMetadata endpoints(Endpoint endpoint) {
        var cached = endpoints.get(endpoint);
        if (cached != null) {
            return cached;
        }
        if (endpoints.size() >= MAX_CACHED) {
            endpoints.clear(); // endpoints come and go with the registry; start over rather than grow
        }
        var namespace = endpoint.spiffeId().isEmpty() ? serviceNamespace(endpoint.service(), self.namespace())
                : namespaceOf(endpoint.spiffeId());
        var made = WorkloadMetadata.of(endpoint.workload().isEmpty() ? WorkloadMetadata.UNKNOWN : endpoint.workload(),
                namespace, endpoint.labels());
        endpoints.put(endpoint, made);
        return made;
    }

    private static WorkloadMetadata unknownIn(String namespace) {
        var u = WorkloadMetadata.UNKNOWN;
        return new WorkloadMetadata(u, namespace, u, u, u, u, u);
    }

    private static String namespaceOf(String spiffeId) {
        try {
            return SpiffeId.parse(spiffeId).namespace();
        } catch (IllegalArgumentException e) {
            return WorkloadMetadata.UNKNOWN;
        }
    }

    /** The service name of a host: its first label ({@code reviews} of {@code reviews.shop.svc.cluster.local}). */
    static String serviceName(String host) {
        int dot = host.indexOf('.');
        return dot < 0 ? host : host.substring(0, dot);
    }

    /** The namespace a host names ({@code shop} of {@code reviews.shop}), else the caller's, as Kubernetes DNS resolves it. */
    static String serviceNamespace(String host, String callerNamespace) {
        int dot = host.indexOf('.');
        if (dot < 0) {
            return callerNamespace;
        }
        int next = host.indexOf('.', dot + 1);
        return next < 0 ? host.substring(dot + 1) : host.substring(dot + 1, next);
    }

    private static String fqdn(String host, String name, String namespace) {
        return WorkloadMetadata.UNKNOWN.equals(host) ? host : name + "." + namespace + "." + CLUSTER_DOMAIN;
    }

    private static boolean isGrpc(String contentType) {
        return contentType != null && contentType.startsWith("application/grpc");
    }

    private static String grpcStatus(MultiMap trailers, MultiMap headers) {
        var status = trailers.get("grpc-status");
        if (status == null) {
            status = headers.get("grpc-status");
        }
        return status == null || status.length() > 2 ? "" : status;
    }
}
