package io.meshlog.dev.demo;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a steady rate of requests to the entry service (open loop: the next request is sent on
 * time whether or not the previous one answered). A fraction opts into the canary.
 */
public final class LoadGenerator {
    private final Vertx vertx;
    private final String host;
    private final int port;
    private final String service;
    private final int requestsPerSecond;
    private final double canaryFraction;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private HttpClient client;
    private long timer = -1;

    public LoadGenerator(Vertx vertx, String host, int port, String service,
            int requestsPerSecond, double canaryFraction) {
        if (requestsPerSecond < 1 || requestsPerSecond > 1000) {
            throw new IllegalArgumentException("requestsPerSecond must be 1-1000, but was " + requestsPerSecond);
        }
        this.vertx = vertx;
        this.host = host;
        this.port = port;
        this.service = service;
        this.requestsPerSecond = requestsPerSecond;
        this.canaryFraction = canaryFraction;
    }

    public void start() {
        client = vertx.createHttpClient();
        long period = Math.max(1, 1000 / requestsPerSecond);
        timer = vertx.setPeriodic(period, t -> send());
    }

    private void send() {
        sent.incrementAndGet();
        var options = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
                .setURI("/checkout").putHeader("host", service);
        if (ThreadLocalRandom.current().nextDouble() < canaryFraction) {
            options.putHeader("x-canary-user", "true");
        }
        client.request(options)
                .compose(r -> r.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
                .onComplete(ar -> {
                    if (ar.failed() || ar.result() >= 500) {
                        failed.incrementAndGet();
                    }
                });
    }

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (client != null) {
            client.close();
        }
    }
}
