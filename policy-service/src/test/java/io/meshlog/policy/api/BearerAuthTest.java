package io.meshlog.policy.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlog.schemas.auth.BearerToken;
import java.util.List;
import org.junit.jupiter.api.Test;

class BearerAuthTest {
    private final BearerToken writer = new BearerToken("ci", "writer-token-0123456789", true);
    private final BearerToken reader = new BearerToken("dashboard", "reader-token-0123456789", false);

    @Test
    void writersAreNamedByTheirToken() {
        assertThat(new BearerAuth(List.of(writer), false).authenticate("Bearer writer-token-0123456789", true)).isEqualTo("ci");
    }

    @Test
    void aWriteWithoutTokenIs401AndWithAReaderTokenIs403() {
        var auth = new BearerAuth(List.of(writer, reader), false);

        assertThatThrownBy(() -> auth.authenticate(null, true)).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).status()).isEqualTo(401);
        assertThatThrownBy(() -> auth.authenticate("Bearer reader-token-0123456789", true))
                .isInstanceOf(ApiException.class).hasMessageContaining("may read but not change")
                .extracting(e -> ((ApiException) e).status()).isEqualTo(403);
    }

    @Test
    void readsAreOpenUnlessProtected() {
        assertThat(new BearerAuth(List.of(writer), false).authenticate(null, false)).isEqualTo(BearerAuth.ANONYMOUS);
        assertThatThrownBy(() -> new BearerAuth(List.of(writer), true).authenticate(null, false))
                .extracting(e -> ((ApiException) e).status()).isEqualTo(401);
        assertThat(new BearerAuth(List.of(writer, reader), true).authenticate("Bearer reader-token-0123456789", false))
                .isEqualTo("dashboard");
    }

    @Test
    void tokensAreNeverPrinted() {
        assertThat(writer.toString()).doesNotContain("writer-token").contains("<redacted>");
    }
}
