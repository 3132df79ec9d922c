package dev.tributary.pipelines.publishing;

import dev.tributary.connectors.unipile.PostDraft;
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
    boolean pageActive) {

  /** Why this row would certainly fail at the provider, or null: then nothing is sent. */
  String refusal() {
    if (accountId == null) {
      return "no Unipile account is linked to this post or its profile";
    }
    if (!"connected".equals(accountStatus)) {
      return "the Unipile account "
          + accountId
          + " is "
          + accountStatus
          + ": reconnect it in Unipile, then retry the post";
    }
    if (!pageActive) {
      return "the company page is not active";
    }
    if (content == null || content.isBlank()) {
      return "the post has no text";
    }
    if (content.length() > PostDraft.MAX_TEXT_CHARS) {
      return "the post has "
          + content.length()
          + " characters, LinkedIn takes at most "
          + PostDraft.MAX_TEXT_CHARS;
    }
    return null;
  }
}
