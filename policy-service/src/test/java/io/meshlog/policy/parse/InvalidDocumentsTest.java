package io.meshlog.policy.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class InvalidDocumentsTest {
    static java.util.List<InvalidFixtures.Fixture> fixtures() {
        return InvalidFixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyInvalidFixtureIsRefusedWithItsPathAndMessage(InvalidFixtures.Fixture fixture) {
        var errors = InvalidFixtures.errors(fixture.text());

        assertThat(errors).as("errors of %s", fixture).isNotEmpty()
                .anySatisfy(v -> {
                    assertThat(v.path()).isEqualTo(fixture.path());
                    assertThat(v.message()).contains(fixture.message());
                    if (fixture.line() > 0) {
                        assertThat(v.line()).isEqualTo(fixture.line());
                    }
                    if (!fixture.path().isEmpty()) {
                        assertThat(v.line()).as("line of %s", v.path()).isGreaterThan(1);
                    }
                });
    }

    @org.junit.jupiter.api.Test
    void thereAreAtLeastThirtyFixtures() {
        assertThat(fixtures()).hasSizeGreaterThanOrEqualTo(30);
    }
}
