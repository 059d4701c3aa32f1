package io.meshlog.policy.publish;

import io.meshlog.policy.model.PolicyKey;
import io.meshlog.schemas.v1.PolicyEvent;

/**
 * What a write did.
 *
 * @param event the policy now in force (the would-be one on a dry run); null after a delete
 * @param generation the generation written (or deleted)
 * @param created whether the key did not exist before
 * @param changed false when the document equalled the current version (nothing published)
 */
public record WriteResult(PolicyKey key, PolicyEvent event, long generation, boolean created, boolean changed, boolean dryRun) {}
