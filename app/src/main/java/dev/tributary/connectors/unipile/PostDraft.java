package dev.tributary.connectors.unipile;

import java.util.List;
import java.util.Objects;

/**
 * What {@code POST /api/v1/posts} sends: the account to post from, the text (1 to {@value
 * #MAX_TEXT_CHARS} characters, LinkedIn's limit), the attachments, and optionally the organization
 * to post as (a company page).
 */
public record PostDraft(
    String accountId, String text, List<Attachment> attachments, String asOrganization) {
  public static final int MAX_TEXT_CHARS = 3000;

  public PostDraft {
    if (accountId == null || accountId.isBlank()) {
      throw new IllegalArgumentException("account_id is required");
    }
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a post needs text");
    }
    if (text.length() > MAX_TEXT_CHARS) {
      throw new IllegalArgumentException(
          "a post has at most " + MAX_TEXT_CHARS + " characters, this one has " + text.length());
    }
    attachments = List.copyOf(Objects.requireNonNullElse(attachments, List.of()));
    asOrganization = asOrganization == null || asOrganization.isBlank() ? null : asOrganization;
  }

  public static PostDraft of(String accountId, String text) {
    return new PostDraft(accountId, text, List.of(), null);
  }
}
