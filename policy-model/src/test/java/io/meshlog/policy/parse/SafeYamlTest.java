package io.meshlog.policy.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SafeYamlTest {
    private final SafeYaml yaml = new SafeYaml(new YamlLimits(2_000, 5, 3, 2));

    @Test
    void refusesInputLargerThanTheLimit() {
        assertThatThrownBy(() -> yaml.parseAll("a: " + "x".repeat(2_000)))
                .isInstanceOf(PolicyParseException.class).hasMessage("input is too large: 2003 characters, the limit is 2000");
    }

    @Test
    void refusesMoreDocumentsThanTheLimit() {
        assertThatThrownBy(() -> yaml.parseAll("a: 1\n---\nb: 2\n---\nc: 3\n"))
                .isInstanceOf(PolicyParseException.class).hasMessage("too many documents: the limit is 2")
                .extracting(e -> ((PolicyParseException) e).line()).isEqualTo(4);
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        assertThatThrownBy(() -> yaml.parseAll("a: {b: {c: {d: {e: {f: 1}}}}}"))
                .isInstanceOf(PolicyParseException.class).hasMessage("nesting is too deep: the limit is 5 levels");
    }

    @Test
    void refusesMoreAliasesThanTheLimit() {
        assertThatThrownBy(() -> yaml.parseAll("a: &x [1]\nb: [*x, *x, *x, *x]\n"))
                .isInstanceOf(PolicyParseException.class).hasMessageStartingWith("too many aliases: the limit is 3");
    }

    @Test
    void refusesTypeTags() {
        assertThatThrownBy(() -> yaml.parseAll("a: !!java.io.File /etc/passwd\n"))
                .isInstanceOf(PolicyParseException.class).hasMessage("YAML tags are not allowed, but found 'tag:yaml.org,2002:java.io.File'");
    }

    @Test
    void readsJsonAndMultipleDocuments() {
        assertThat(yaml.parseAll("{\"a\": [1, 2]}\n---\nb: 2\n")).hasSize(2);
    }
}
