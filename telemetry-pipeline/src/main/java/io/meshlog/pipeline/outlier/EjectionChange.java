package io.meshlog.pipeline.outlier;

import io.meshlog.schemas.v1.Decision;
import io.meshlog.schemas.v1.Ejection;
import io.meshlog.schemas.v1.EjectionReason;
import java.time.Instant;

/**
 * An endpoint was ejected or came back.
 *
 * @param service the destination service
 * @param endpoint host:port
 * @param ejected true: ejected until {@code until}; false: back in load balancing
 * @param reason why (EJECTION_EXPIRED for a return)
 * @param ejectionCount how many times in a row it has been ejected (the ejection time multiplier)
 * @param until when the ejection ends (epoch millis), null for a return
 * @param decidedAt the time of the decision (epoch millis)
 * @param detail human-readable numbers behind the decision
 */
public record EjectionChange(String service, String endpoint, boolean ejected, EjectionReason reason,
        int ejectionCount, Long until, long decidedAt, String detail) {

    /** The key on mesh.decisions.v1. */
    public String key() {
        return "ejection/" + service + "/" + endpoint;
    }

    public Decision toDecision() {
        return Decision.newBuilder().setPayload(Ejection.newBuilder()
                .setService(service).setEndpoint(endpoint).setEjected(ejected).setReason(reason)
                .setEjectionCount(ejectionCount).setUntil(until == null ? null : Instant.ofEpochMilli(until))
                .setDecidedAt(Instant.ofEpochMilli(decidedAt))
                .setDetail(detail).build()).build();
    }
}
