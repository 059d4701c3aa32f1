package io.meshlog.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlog.schemas.v1.PolicyEvent;
import java.util.ServiceLoader;
import org.apache.avro.Conversion;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

class AvroTrustHookTest {

    @Test
    void avroFindsTheHookThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(Conversion.class).stream().map(ServiceLoader.Provider::type))
                .contains(AvroTrustHook.class);
    }

    @Test
    void anAvroModelAloneTrustsMeshlogClasses() {
        new SpecificData();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(PolicyEvent.class)).isTrue();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(java.io.File.class)).isFalse();
    }
}
