package io.meshlog.schemas.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BearerTokensTest {
    private final BearerToken ops = new BearerToken("ops", "ops-token-0123456789", false);
    private final BearerToken ci = new BearerToken("ci", "ci-token-01234567890", true);
    private final BearerTokens tokens = new BearerTokens(List.of(ops, ci));

    @Test
    void matchesTheTokenTheHeaderCarriesWhateverTheSchemeCase() {
        assertThat(tokens.match("Bearer ci-token-01234567890")).contains(ci);
        assertThat(tokens.match("bearer ops-token-0123456789 ")).contains(ops);
    }

    @Test
    void anUnknownTokenOrAnotherSchemeMatchesNothing() {
        assertThat(tokens.match("Bearer ops-token-0123456788")).isEmpty();
        assertThat(tokens.match("Basic b3BzOnB3")).isEmpty();
        assertThat(tokens.match(null)).isEmpty();
        assertThat(BearerTokens.presented("Basic b3BzOnB3")).isNull();
    }

    @Test
    void refusesATokenShorterThanSixteenCharacters() {
        assertThatThrownBy(() -> new BearerToken("ops", "short", false))
                .isInstanceOfSatisfying(BearerToken.InvalidTokenException.class,
                        e -> assertThat(e.field()).isEqualTo("token"))
                .hasMessage("token: must be at least 16 characters");
    }

    @Test
    void refusesATokenWithoutAName() {
        assertThatThrownBy(() -> new BearerToken(" ", "ops-token-0123456789", false))
                .isInstanceOfSatisfying(BearerToken.InvalidTokenException.class,
                        e -> assertThat(e.field()).isEqualTo("name"));
    }

    @Test
    void neverPrintsTheToken() {
        assertThat(ops.toString()).doesNotContain("ops-token").contains("<redacted>");
    }
}
