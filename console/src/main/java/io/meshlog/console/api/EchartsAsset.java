package io.meshlog.console.api;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Serves ECharts from its WebJar on the classpath at a version-free path, so the page does not
 * name the version the build resolved (and nothing is fetched from a CDN).
 */
final class EchartsAsset {
    private static final String POM = "/META-INF/maven/org.webjars.npm/echarts/pom.properties";

    private EchartsAsset() {}

    static Handler<RoutingContext> handler() {
        var script = Buffer.buffer(load());
        return ctx -> ctx.response().putHeader("Content-Type", "text/javascript; charset=utf-8")
                .putHeader("Cache-Control", "max-age=3600").end(script);
    }

    private static byte[] load() {
        try (var pom = resource(POM)) {
            var props = new Properties();
            props.load(pom);
            var path = "/META-INF/resources/webjars/echarts/" + props.getProperty("version") + "/dist/echarts.min.js";
            try (var in = resource(path)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ECharts WebJar", e);
        }
    }

    private static InputStream resource(String path) throws IOException {
        var in = EchartsAsset.class.getResourceAsStream(path);
        if (in == null) {
            throw new IOException(path + " is not on the classpath (the org.webjars.npm:echarts jar is missing)");
        }
        return in;
    }
}
