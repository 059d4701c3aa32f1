package io.meshlog.schemas.serde;

/** Lets tests outside this package use {@link OldSchemaRecords}. */
public final class OldSchemaRecordsAccess {
    private OldSchemaRecordsAccess() {}

    public static byte[] telemetryV0Bytes() {
        return OldSchemaRecords.telemetryV0Bytes();
    }
}
