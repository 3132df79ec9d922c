package dev.tributary.pipelines.publishing;

import dev.tributary.connectors.unipile.PostDraft;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A post to schedule: the Unipile account (our row's id) it goes out from, its text (1 to 3,000
 * characters), when, and its media. The checks here are those that need no database: text, media
 * URLs; the account and the date are checked by {@link PublishingOperations#schedule}.
 */
public record NewScheduledPost(
    UUID unipileAccountId, String content, Instant scheduledAt, List<MediaItem> media) {
  public NewScheduledPost {
    Objects.requireNonNull(unipileAccountId, "unipile_account_id is required");
    if (content == null || content.isBlank()) {
      throw new IllegalArgumentException("content must not be empty");
    }
    if (content.length() > PostDraft.MAX_TEXT_CHARS) {
      throw new IllegalArgumentException(
          "content has " + content.length() + " characters, at most " + PostDraft.MAX_TEXT_CHARS);
    }
    Objects.requireNonNull(scheduledAt, "scheduled_at is required");
    media = List.copyOf(media == null ? List.of() : media);
    if (media.size() > 9) {
      throw new IllegalArgumentException("at most 9 media items, got " + media.size());
    }
    for (MediaItem m : media) {
      URI uri;
      try {
        uri = URI.create(m.url());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("media url is not a URL: " + m.url());
      }
      if (uri.getHost() == null
          || !("http".equalsIgnoreCase(uri.getScheme())
              || "https".equalsIgnoreCase(uri.getScheme()))) {
        throw new IllegalArgumentException("media url must be http(s): " + m.url());
      }
    }
  }
}
