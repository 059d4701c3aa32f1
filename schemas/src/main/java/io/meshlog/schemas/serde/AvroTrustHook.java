package io.meshlog.schemas.serde;

import org.apache.avro.Conversion;

/**
 * Installs {@link AvroTrust} before any meshlog class is decoded or copied, in every JVM that has
 * this jar, without a JVM flag. Avro's {@code GenericData} constructor loads {@link Conversion}s
 * with the {@link java.util.ServiceLoader} (see {@code META-INF/services}), and every generated
 * class builds its {@code SpecificData} model in its static initializer, so this constructor runs
 * before Avro's class checks can. It converts nothing: no schema uses its logical type.
 */
public final class AvroTrustHook extends Conversion<Object> {
    public AvroTrustHook() {
        AvroTrust.install();
    }

    @Override
    public Class<Object> getConvertedType() {
        return Object.class;
    }

    @Override
    public String getLogicalTypeName() {
        return "meshlog-trust-hook";
    }
}
