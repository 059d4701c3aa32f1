package io.meshlog.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlog.kafka.embedded.Ports;
import io.meshlog.policy.cli.Meshctl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console as a user sees it with {@code meshlog dev}: Debian's headless Chromium, driven by
 * Debian's chromedriver, opens the page of the running demo mesh; the page's table mirror of the
 * graph (drawn from the same JSON as the canvas) must list every demo service and edge with a
 * rate, the flaky inventory instance ejected, the orders SLO paging, and the finding of a risky
 * DestinationRule on the payments node. A screenshot is kept in {@code target/}.
 */
class ConsoleBrowserIT {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static final Duration WITHIN = Duration.ofMinutes(3);
    private static final List<String> SERVICES = List.of("api-gateway", "orders", "inventory", "payments");
    private static final List<String> EDGES = List.of("loadgen->api-gateway", "api-gateway-v1->orders",
            "orders-v1->inventory", "orders-v2->inventory", "orders-v1->payments", "orders-v2->payments");
    private static final String RISKY_RULE = """
            apiVersion: meshlog.io/v1
            kind: DestinationRule
            metadata: {name: payments, namespace: shop}
            spec:
              host: payments
              trafficPolicy:
                outlierDetection: {consecutive5xxErrors: 5, maxEjectionPercent: 100}
            """;

    /** Headless Chromium with nothing that phones home, in a fresh profile. */
    static WebDriver chromium(Path profile) {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "skipped: the browser test needs Debian's chromium and chromium-driver (apt-get install -y chromium "
                        + "chromium-driver), or CHROMIUM / CHROMEDRIVER pointing at them");
        var options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1600,1200", "--user-data-dir=" + profile);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    @Test
    void theDemoMeshIsDrawnWithRatesEjectionAlertAndFinding(@TempDir Path state, @TempDir Path profile) throws Exception {
        var driver = chromium(profile);
        var config = new DevConfig(state, Ports.freePort(), Ports.freePort(), Ports.freePort(), Ports.freePort(),
                Ports.freePort(), true, Duration.ofSeconds(10));
        var components = DevMain.Dev.components(config);
        try (var stack = new DevStack(components)) {
            stack.start();
            applyRiskyRule(component(components, PolicyServiceComponent.class), state);
            driver.get(component(components, ConsoleComponent.class).url());

            await().atMost(WITHIN).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
                for (var service : SERVICES) {
                    assertThat(rate(driver, "tr[data-node-id='svc:shop/" + service + "']")).as(service).isPositive();
                }
                for (var edge : EDGES) {
                    assertThat(rate(driver, "tr[data-edge-id='" + edge + "']")).as(edge).isPositive();
                }
                assertThat(attribute(driver, "tr[data-node-id='wl:shop/inventory-3']", "data-ejected")).isEqualTo("true");
                assertThat(attribute(driver, "tr[data-node-id='svc:shop/orders']", "data-alerts"))
                        .contains("PAGE:shop/orders-availability");
                assertThat(attribute(driver, "tr[data-node-id='svc:shop/payments']", "data-findings")).contains("ML0105");
            });
            // The detail panel of the service whose instance was ejected, as a click opens it.
            ((JavascriptExecutor) driver).executeScript(
                    "window.meshlogConsole.state.selected = {namespace: 'shop', name: 'inventory'};"
                            + "window.meshlogDetail.show(window.meshlogConsole.state.selected);");
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(
                    driver.findElements(By.cssSelector("#detail-endpoints tr[data-ejected='true']"))).isNotEmpty());
            screenshot(driver);
        } finally {
            driver.quit();
        }
    }

    private static void applyRiskyRule(PolicyServiceComponent policy, Path state) throws Exception {
        var file = Files.writeString(state.resolve("risky.yaml"), RISKY_RULE);
        var err = new StringWriter();
        int code = Meshctl.run(new String[] {"apply", "-f", file.toString()},
                Map.of("MESHCTL_SERVER", policy.url(), "MESHCTL_TOKEN", policy.token()),
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
    }

    private static double rate(WebDriver driver, String row) {
        return Double.parseDouble(attribute(driver, row, "data-rps"));
    }

    private static String attribute(WebDriver driver, String css, String name) {
        return driver.findElement(By.cssSelector(css)).getDomAttribute(name);
    }

    private static void screenshot(WebDriver driver) throws Exception {
        var png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, Path.of("target", "console-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static <T> T component(List<DevComponent> components, Class<T> type) {
        return components.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }
}
