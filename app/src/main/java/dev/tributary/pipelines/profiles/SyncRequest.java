package dev.tributary.pipelines.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/**
 * The body of {@code POST /functions/v1/sync-profiles} (S0.8): {@code {max_profiles,
 * generate_embeddings, classify_hooks}}, every field optional.
 *
 * @param maxProfiles how many due profiles to scrape in this run
 * @param generateEmbeddings embed the new posts before answering (S0.3)
 * @param classifyHooks extract and classify the new posts' hooks before answering (S0.4)
 */
public record SyncRequest(int maxProfiles, boolean generateEmbeddings, boolean classifyHooks) {
  /** The seed's weekly cron sends 50 ({@code get_profiles_to_sync} defaults to 50 too). */
  public static final int DEFAULT_MAX_PROFILES = 50;

  /**
   * A run scrapes profiles one after the other inside one HTTP request; beyond this it should be
   * split.
   */
  public static final int MAX_PROFILES_LIMIT = 1_000;

  private static final Set<String> FIELDS =
      Set.of("max_profiles", "generate_embeddings", "classify_hooks");

  public SyncRequest {
    if (maxProfiles < 1 || maxProfiles > MAX_PROFILES_LIMIT) {
      throw new IllegalArgumentException(
          "max_profiles must be a whole number from 1 to "
              + MAX_PROFILES_LIMIT
              + ", got "
              + maxProfiles);
    }
  }

  public static SyncRequest defaults() {
    return new SyncRequest(DEFAULT_MAX_PROFILES, true, true);
  }

  /**
   * Reads a job's args (the body of a trigger, stored as given); null or an empty object means all
   * defaults.
   *
   * @throws IllegalArgumentException naming the field at fault
   */
  static SyncRequest fromJson(JsonNode body) {
    if (body == null || body.isNull() || body.isMissingNode()) {
      return defaults();
    }
    if (!body.isObject()) {
      throw new IllegalArgumentException(
          "the body must be a JSON object like {\"max_profiles\": 20}");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new IllegalArgumentException(
            "unknown field '"
                + f
                + "'; the fields are max_profiles, generate_embeddings, classify_hooks");
      }
    }
    int max = DEFAULT_MAX_PROFILES;
    JsonNode m = body.get("max_profiles");
    if (m != null && !m.isNull()) {
      if (!m.isIntegralNumber() || !m.canConvertToInt()) {
        throw new IllegalArgumentException(
            "max_profiles must be a whole number from 1 to " + MAX_PROFILES_LIMIT + ", got " + m);
      }
      max = m.intValue();
    }
    return new SyncRequest(max, flag(body, "generate_embeddings"), flag(body, "classify_hooks"));
  }

  private static boolean flag(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return true;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(field + " must be true or false, got " + v);
    }
    return v.booleanValue();
  }
}
