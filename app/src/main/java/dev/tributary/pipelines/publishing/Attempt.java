package dev.tributary.pipelines.publishing;

import java.time.Instant;
import java.util.UUID;

/** One recorded call (or planned call) to create a post on the provider. */
record Attempt(
    UUID id,
    PostRef ref,
    String accountId,
    String asOrganization,
    String content,
    String state,
    Instant startedAt,
    String externalPostId) {
  boolean open() {
    return state.equals("sending") || state.equals("unknown");
  }
}
