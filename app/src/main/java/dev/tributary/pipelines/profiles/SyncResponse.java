package dev.tributary.pipelines.profiles;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.UUID;

/**
 * The answer of {@code POST /functions/v1/sync-profiles}, field for field the seed's (S0.8). When
 * the run failed as a whole, {@code success} is false and {@code error} says why; {@code error} is
 * absent otherwise, so a successful answer has exactly the seed's fields.
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
    @JsonProperty("error") String error) {

  public SyncResponse {
    results = List.copyOf(results);
  }

  @JsonPropertyOrder({"profile_id", "linkedin_id", "posts_scraped", "posts_new"})
  public record ProfileResult(
      @JsonProperty("profile_id") UUID profileId,
      @JsonProperty("linkedin_id") String linkedinId,
      @JsonProperty("posts_scraped") int postsScraped,
      @JsonProperty("posts_new") int postsNew) {}
}
