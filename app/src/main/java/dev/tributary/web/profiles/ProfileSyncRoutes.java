package dev.tributary.web.profiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.pipelines.profiles.ProfileSync;
import dev.tributary.pipelines.profiles.SyncReport;
import dev.tributary.pipelines.profiles.SyncRequest;
import dev.tributary.web.ApiException;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code POST /functions/v1/sync-profiles} (S0.8): {@code Authorization: Bearer
 * <SERVICE_ROLE_KEY>}, body {@code {max_profiles, generate_embeddings, classify_hooks}}, answer the
 * seed's JSON. The run happens inside the request, as in the seed, so the answer carries its
 * totals.
 */
public final class ProfileSyncRoutes implements WebServer.Routes {
  public static final String PATH = "/functions/v1/sync-profiles";

  private final ProfileSync sync;
  private final byte[] serviceRoleKey;

  public ProfileSyncRoutes(ProfileSync sync, String serviceRoleKey) {
    if (serviceRoleKey == null || serviceRoleKey.isBlank()) {
      throw new IllegalArgumentException(
          "the sync-profiles endpoint needs SERVICE_ROLE_KEY to be set");
    }
    this.sync = sync;
    this.serviceRoleKey = sha256(serviceRoleKey);
  }

  @Override
  public void accept(Javalin app) {
    app.post(PATH, this::syncProfiles);
  }

  private void syncProfiles(Context ctx) {
    authorize(ctx.header("Authorization"));
    SyncRequest request;
    try {
      request = SyncRequest.fromJson(body(ctx));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    SyncReport report = sync.run(request, "http:" + PATH);
    ctx.json(report.response());
  }

  private void authorize(String header) {
    if (header == null || header.isBlank()) {
      throw ApiException.unauthorized(
          "missing Authorization header: send 'Authorization: Bearer <SERVICE_ROLE_KEY>'");
    }
    String h = header.strip();
    if (!h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw ApiException.unauthorized(
          "the Authorization header must be 'Bearer <SERVICE_ROLE_KEY>'");
    }
    // digests of equal length compared in constant time: neither how much of a guess was right nor
    // the key's length shows in the response time
    if (!MessageDigest.isEqual(sha256(h.substring(7).strip()), serviceRoleKey)) {
      throw ApiException.unauthorized("invalid service role key");
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static JsonNode body(Context ctx) {
    String raw = ctx.body();
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return WebServer.JSON.readTree(raw);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
