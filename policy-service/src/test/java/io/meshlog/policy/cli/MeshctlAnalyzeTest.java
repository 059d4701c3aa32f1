package io.meshlog.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MeshctlAnalyzeTest {
    private static final Path FIXTURES = Path.of("src/test/resources/analyze");
    private static final Path ISTIO = Path.of("src/test/resources/istio");
    private static final String WORKLOADS = FIXTURES.resolve("workloads.yaml").toString();

    static List<Path> mistakes() throws IOException {
        try (Stream<Path> files = Files.list(FIXTURES.resolve("mistakes"))) {
            return files.sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachSeededMistakeIsReportedWithItsCode(Path file) {
        var code = file.getFileName().toString().substring(0, 6);

        var result = new MeshctlRunner().run("analyze", "-f", file.toString(), "--workloads", WORKLOADS, "-o", "json");

        assertThat(result.out()).as(result.toString()).contains("\"code\" : \"" + code + "\"");
        var errorFound = result.out().contains("\"severity\" : \"ERROR\"");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(errorFound ? 1 : 0);
    }

    @Test
    void theWholeMistakesFolderReportsEveryCodeAndExitsOne() {
        var result = new MeshctlRunner().run("analyze", "-f", FIXTURES.resolve("mistakes").toString(), "--workloads", WORKLOADS);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        for (var code : List.of("ML0001", "ML0101", "ML0102", "ML0103", "ML0104", "ML0105", "ML0106", "ML0107", "ML0108", "ML0109",
                "ML0110", "ML0111")) {
            assertThat(result.out()).as(code).contains(code);
        }
        assertThat(result.out()).contains("Error   [ML0101] (VirtualService default/reviews) "
                + "spec.http[0].route[0].destination.subset: subset \"v3\" of host reviews is not defined by its DestinationRule")
                .contains("        hint: add the subset to the DestinationRule of reviews")
                .contains("12 finding(s), 5 error(s)");
    }

    static List<Path> istioDocuments() throws IOException {
        try (Stream<Path> files = Files.list(ISTIO)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("istioDocuments")
    void istioDocumentsAsWrittenHaveNoErrorFinding(Path file) {
        var result = new MeshctlRunner().run("analyze", "-f", ISTIO.resolve("destination-rules.yaml").toString(),
                "-f", file.toString(), "-o", "json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).as(result.toString()).doesNotContain("\"severity\" : \"ERROR\"");
    }

    @Test
    void istioFieldsMeshlogDoesNotEnforceAreWarnedWithTheirCodes() {
        var result = new MeshctlRunner().run("analyze", "-f", ISTIO.resolve("design-traffic.yaml").toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Warning [ML0201] (DestinationRule shop/inventory) spec.exportTo: "
                        + "src/test/resources/istio/design-traffic.yaml:8: ML0201 field accepted but not enforced by meshlog: every meshlog policy is visible to the whole mesh")
                .contains("[ML0202] (VirtualService shop/inventory) spec.gateways")
                .contains("[ML0204] (DestinationRule shop/inventory) spec.trafficPolicy.connectionPool.http.h2UpgradePolicy");
    }

    @Test
    void theCleanFolderHasNoFindings() {
        var result = new MeshctlRunner().run("analyze", "-f", FIXTURES.resolve("clean").toString(), "--workloads", WORKLOADS);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("No issues found");
    }

    @Test
    void aMissingFileIsAUsageError() {
        var result = new MeshctlRunner().run("analyze", "-f", "no/such/file.yaml");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: no/such/file.yaml does not exist\n");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(new MeshctlRunner().run("analyze", "--bogus").exitCode()).isEqualTo(2);
    }
}
