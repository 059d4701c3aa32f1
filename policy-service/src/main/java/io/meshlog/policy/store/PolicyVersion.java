package io.meshlog.policy.store;

import io.meshlog.policy.model.PolicyKey;
import io.meshlog.schemas.v1.PolicyEvent;
import java.time.Instant;

/**
 * One record of a policy's key in the log.
 *
 * @param event the policy as published, or null for a deletion (tombstone)
 * @param generation the event's generation; for a deletion, the generation it deleted
 * @param author who made the change (a deletion's author comes from the record header)
 * @param time when the change was accepted
 * @param offset where the record sits in the topic
 */
public record PolicyVersion(PolicyKey key, PolicyEvent event, long generation, String author, Instant time, long offset) {
    public boolean deleted() {
        return event == null;
    }
}
