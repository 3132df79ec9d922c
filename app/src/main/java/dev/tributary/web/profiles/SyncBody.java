package dev.tributary.web.profiles;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tributary.pipelines.profiles.SyncRequest;

/**
 * The body of {@code sync-profiles} and of a manual sync trigger: {@code {max_profiles,
 * generate_embeddings, classify_hooks}}, every field optional.
 */
record SyncBody(
    @JsonProperty("max_profiles") Integer maxProfiles,
    @JsonProperty("generate_embeddings") Boolean generateEmbeddings,
    @JsonProperty("classify_hooks") Boolean classifyHooks) {

  static final SyncBody EMPTY = new SyncBody(null, null, null);

  SyncRequest toRequest() {
    return new SyncRequest(
        maxProfiles == null ? SyncRequest.DEFAULT_MAX_PROFILES : maxProfiles,
        generateEmbeddings == null || generateEmbeddings,
        classifyHooks == null || classifyHooks);
  }
}
