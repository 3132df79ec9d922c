package dev.tributary.pipelines.profiles;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.UUID;

/**
 * The answer of {@code POST /functions/v1/sync-profiles}, field for field the seed's (S0.8). When
 * the run failed as a whole, {@code success} is false and {@code error} says why; {@code error} is
 * absent otherwise. {@code embeddings_updated} and {@code hooks_classified} count the run's new
 * posts embedded and hook-classified before the answer, whichever worker did it; {@code pending}
 * says what was asked for and is still to do, and is absent when nothing is, so a complete
 * successful answer has exactly the seed's fields.
 */
@JsonPropertyOrder({
  "success",
  "job_id",
  "duration_seconds",
  "profiles_processed",
  "successful_profiles",
  "posts_scraped",
  "posts_new",
  "embeddings_updated",
  "hooks_classified",
  "results",
  "pending",
  "error"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SyncResponse(
    @JsonProperty("success") boolean success,
    @JsonProperty("job_id") UUID jobId,
    @JsonProperty("duration_seconds") double durationSeconds,
    @JsonProperty("profiles_processed") int profilesProcessed,
    @JsonProperty("successful_profiles") int successfulProfiles,
    @JsonProperty("posts_scraped") int postsScraped,
    @JsonProperty("posts_new") int postsNew,
    @JsonProperty("embeddings_updated") int embeddingsUpdated,
    @JsonProperty("hooks_classified") int hooksClassified,
    @JsonProperty("results") List<ProfileResult> results,
    @JsonProperty("pending") Pending pending,
    @JsonProperty("error") String error) {

  public SyncResponse {
    results = List.copyOf(results);
  }

  /**
   * The run's new posts asked to be embedded or hook-classified that no worker had done when the
   * answer left (the wait is {@code TRIBUTARY_SYNC_ANSWER_WAIT}); the workers still do them.
   */
  @JsonPropertyOrder({"embeddings", "hooks"})
  public record Pending(
      @JsonProperty("embeddings") int embeddings, @JsonProperty("hooks") int hooks) {

    /** Null when nothing is pending: the field is left out of the answer. */
    public static Pending ofNonZero(int embeddings, int hooks) {
      return embeddings == 0 && hooks == 0 ? null : new Pending(embeddings, hooks);
    }
  }

  @JsonPropertyOrder({"profile_id", "linkedin_id", "posts_scraped", "posts_new"})
  public record ProfileResult(
      @JsonProperty("profile_id") UUID profileId,
      @JsonProperty("linkedin_id") String linkedinId,
      @JsonProperty("posts_scraped") int postsScraped,
      @JsonProperty("posts_new") int postsNew) {}
}
