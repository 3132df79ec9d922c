package dev.tributary.pipelines.publishing;

import java.time.Instant;
import java.util.UUID;

/**
 * A row read for publishing, with the Unipile account it posts from (null when it has none), the
 * organization it posts as (company pages), and where its posts are listed for reconciliation.
 */
record Candidate(
    PostRef ref,
    String status,
    Instant dueAt,
    String content,
    String mediaJson,
    UUID accountUuid,
    String accountId,
    String accountStatus,
    String listIdentifier,
    boolean listAsCompany,
    String asOrganization,
    UUID profileId,
    UUID userId,
    UUID productionPostId,
    boolean pageActive) {}
