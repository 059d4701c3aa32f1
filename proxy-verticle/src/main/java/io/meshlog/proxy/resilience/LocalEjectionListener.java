package io.meshlog.proxy.resilience;

/**
 * Told when this proxy's own outlier detection ejects an endpoint or lets it back. Called on the
 * thread that noticed (an event loop on the request path): it must not block.
 */
public interface LocalEjectionListener {
    /** Listens to nothing. */
    LocalEjectionListener NONE = new LocalEjectionListener() {
        @Override
        public void ejected(String service, String endpoint, Ejection ejection, Cause cause) {}

        @Override
        public void returned(String service, String endpoint, Ejection ended) {}
    };

    /** Which detector fired (Envoy's names). */
    enum Cause { CONSECUTIVE_5XX, CONSECUTIVE_GATEWAY_ERRORS }

    /** {@code endpoint} ({@code host:port}) of {@code service} is out of this proxy's load balancing. */
    void ejected(String service, String endpoint, Ejection ejection, Cause cause);

    /** {@code ended}, the ejection of {@code endpoint}, ran out: the endpoint is back. */
    void returned(String service, String endpoint, Ejection ended);
}
