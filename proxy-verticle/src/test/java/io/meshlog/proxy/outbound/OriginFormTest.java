package io.meshlog.proxy.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OriginFormTest {
    @Test
    void turnsAbsoluteFormIntoOriginForm() {
        assertThat(OutboundRequestHandler.originForm("http://orders:8080/api/v1?x=1")).isEqualTo("/api/v1?x=1");
        assertThat(OutboundRequestHandler.originForm("http://orders")).isEqualTo("/");
        assertThat(OutboundRequestHandler.originForm("http://orders?x=1")).isEqualTo("/?x=1");
        assertThat(OutboundRequestHandler.originForm("/already")).isEqualTo("/already");
    }

    @Test
    void takesTheAuthorityOfAnAbsoluteFormUri() {
        var authority = OutboundRequestHandler.absoluteFormAuthority("http://orders:8080/api");
        assertThat(authority.host()).isEqualTo("orders");
        assertThat(authority.port()).isEqualTo(8080);
        assertThat(OutboundRequestHandler.absoluteFormAuthority("http://orders?x").host()).isEqualTo("orders");
    }
}
