package io.meshlog.proxy.resilience;

/** Both sides of ejection merged: the local decision first, then the cluster-wide one. */
public final class EjectionView implements EjectionSource {
    private final LocalOutlierDetector local;
    private final ClusterEjections cluster;

    public EjectionView(LocalOutlierDetector local, ClusterEjections cluster) {
        this.local = local;
        this.cluster = cluster;
    }

    public LocalOutlierDetector local() {
        return local;
    }

    public ClusterEjections cluster() {
        return cluster;
    }

    @Override
    public Ejection ejection(String service, EndpointState endpoint) {
        var ejection = local.ejection(service, endpoint);
        return ejection != null ? ejection : cluster.ejection(service, endpoint);
    }
}
