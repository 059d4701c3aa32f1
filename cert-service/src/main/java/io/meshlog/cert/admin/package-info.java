/**
 * The operator's admin HTTP endpoint ({@link io.meshlog.cert.admin.AdminHttpServer}): create and
 * revoke join tokens, revoke certificate serials, step a CA rotation. Bound to 127.0.0.1, bearer
 * token required; runs on its own single thread.
 */
package io.meshlog.cert.admin;
