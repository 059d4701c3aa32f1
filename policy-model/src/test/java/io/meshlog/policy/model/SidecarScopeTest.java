package io.meshlog.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SidecarScopeTest {
    private static final String ROOT = MeshScope.DEFAULT_ROOT_NAMESPACE;

    @Test
    void dotMeansTheSidecarsOwnNamespace() {
        // Given
        var scope = SidecarScope.of("shop", List.of("./*", "payments/ledger"));
        // Then
        assertThat(scope.allows("shop", "reviews")).isTrue();
        assertThat(scope.allows("payments", "ledger")).isTrue();
        assertThat(scope.allows("payments", "cards")).isFalse();
        assertThat(scope.allows("ads", "reviews")).isFalse();
    }

    @Test
    void anyNamespaceAndSuffixHostsMatchAsIstioSays() {
        var scope = SidecarScope.of("shop", List.of("*/ratings", "*/*.internal"));
        assertThat(scope.allows("ads", "ratings")).isTrue();
        assertThat(scope.allows("", "ratings")).isTrue();
        assertThat(scope.allows("ads", "db.internal")).isTrue();
        assertThat(scope.allows("ads", "internal")).isFalse();
        assertThat(scope.allows("shop", "reviews")).isFalse();
    }

    @Test
    void starSlashStarIsUnscoped() {
        assertThat(SidecarScope.of("shop", List.of("./*", "*/*"))).isEqualTo(SidecarScope.UNSCOPED);
    }

    @Test
    void aMeshWideDestinationRuleHostStaysInEveryScope() {
        var scope = SidecarScope.of("shop", List.of("./*"));
        assertThat(scope.allowsAny(ROOT, List.of("*.local"))).isTrue();
        assertThat(scope.allowsAny("ads", List.of("banner", "reviews"))).isFalse();
    }

    @Test
    void selectorMatchWinsOverNamespaceWideWhichWinsOverRoot() {
        // Given
        var root = new SidecarScope.Declared(ROOT, null, List.of("./*"));
        var namespaceWide = new SidecarScope.Declared("shop", null, List.of("shop/reviews"));
        var selected = new SidecarScope.Declared("shop", Map.of("app", "cart"), List.of("shop/ratings"));
        var all = List.of(root, namespaceWide, selected);
        // Then
        assertThat(SidecarScope.select(all, "shop", Map.of("app", "cart", "v", "1"), ROOT).entries())
                .containsExactly("shop/ratings");
        assertThat(SidecarScope.select(all, "shop", Map.of("app", "web"), ROOT).entries()).containsExactly("shop/reviews");
        // the root's "." is the workload's own namespace: Istio's namespace isolation
        assertThat(SidecarScope.select(all, "ads", Map.of(), ROOT).entries()).containsExactly("ads/*");
        assertThat(SidecarScope.select(List.of(), "ads", Map.of(), ROOT)).isEqualTo(SidecarScope.UNSCOPED);
    }

    @Test
    void hostEntriesWithoutANamespaceOrWithAMisplacedWildcardAreRefused() {
        assertThat(SidecarScope.hostProblem("reviews")).contains("namespace/host");
        assertThat(SidecarScope.hostProblem("shop/rev*")).contains("may only be");
        assertThat(SidecarScope.hostProblem("shop/*x")).contains("may only be");
        assertThat(SidecarScope.hostProblem("./*")).isNull();
        assertThat(SidecarScope.hostProblem("*/*.svc.cluster.local")).isNull();
    }
}
