package dev.tributary.web.profiles;

import dev.tributary.pipelines.profiles.ProfileSync;
import dev.tributary.pipelines.profiles.SyncReport;
import dev.tributary.pipelines.profiles.SyncRequest;
import dev.tributary.web.ApiException;
import dev.tributary.web.JsonBody;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * {@code POST /functions/v1/sync-profiles} (S0.8): {@code Authorization: Bearer
 * <SERVICE_ROLE_KEY>}, body {@code {max_profiles, generate_embeddings, classify_hooks}}, answer the
 * seed's JSON. The run happens inside the request, as in the seed, so the answer carries its
 * totals.
 */
public final class ProfileSyncRoutes implements WebServer.Routes {
  public static final String PATH = "/functions/v1/sync-profiles";

  private final ProfileSync sync;

  public ProfileSyncRoutes(ProfileSync sync) {
    this.sync = sync;
  }

  @Override
  public void accept(Javalin app) {
    app.post(PATH, this::syncProfiles, Role.SERVICE);
  }

  private void syncProfiles(Context ctx) {
    SyncRequest request;
    try {
      request = JsonBody.readOr(ctx, SyncBody.class, () -> SyncBody.EMPTY).toRequest();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    SyncReport report = sync.run(request, "http:" + PATH);
    ctx.json(report.response());
  }
}
