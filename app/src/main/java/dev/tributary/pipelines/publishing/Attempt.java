package dev.tributary.pipelines.publishing;

import java.time.Instant;
import java.util.UUID;

/**
 * One recorded call (or planned call) to create a post on the provider. {@code retryNotBefore} is
 * set on a refusal whose answer said when to come back (Retry-After).
 */
record Attempt(
    UUID id,
    PostRef ref,
    String accountId,
    String asOrganization,
    String content,
    String state,
    Instant startedAt,
    String externalPostId,
    Instant retryNotBefore) {
  boolean open() {
    return state.equals("sending") || state.equals("unknown");
  }
}
