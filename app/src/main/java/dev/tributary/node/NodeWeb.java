package dev.tributary.node;

import dev.tributary.config.SecuritySettings;
import dev.tributary.config.TributaryConfig;
import dev.tributary.engine.Engine;
import dev.tributary.pipelines.profiles.ProfilePipeline;
import dev.tributary.pipelines.vectorsync.DocumentText;
import dev.tributary.pipelines.vectorsync.SearchModule;
import dev.tributary.web.Access;
import dev.tributary.web.AccessSettings;
import dev.tributary.web.ApiException;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import dev.tributary.web.enrichment.WorkerRoutes;
import dev.tributary.web.ops.EngineOpsRoutes;
import dev.tributary.web.ops.OrchestratorRoutes;
import dev.tributary.web.profiles.ProfileOpsRoutes;
import dev.tributary.web.profiles.ProfileSyncRoutes;
import dev.tributary.web.search.SearchRoutes;
import dev.tributary.web.vectorsync.VectorSyncRoutes;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;

/** The node's HTTP side: who may call (one {@link Access}) and every route group. */
final class NodeWeb {
  private NodeWeb() {}

  static Access access(TributaryConfig config, Clock clock) {
    SecuritySettings s = config.security();
    return new Access(
        new AccessSettings(
            s.serviceRoleKey(),
            s.schedulerSecret(),
            s.jwtSecret(),
            s.anonKey(),
            s.metricsToken(),
            s.qstashCurrentSigningKey(),
            s.qstashNextSigningKey(),
            // QStash's token names the URL it called; checked only against a URL set explicitly
            config.core().publicUrlSetting().map(java.net.URI::toString),
            s.adminKey()),
        clock);
  }

  /**
   * The routes; {@code requests} is the pool of request-driven reads (statement timeout, apart from
   * the engine's), {@code dataSource} the one of work that runs as long as it needs.
   */
  static List<WebServer.Routes> routes(
      TributaryConfig config,
      DataSource dataSource,
      DataSource requests,
      Engine engine,
      ProfilePipeline profiles,
      SearchModule search) {
    return List.of(
        new OrchestratorRoutes(
            requests,
            engine.clock(),
            engine.metrics(),
            config.security().metricsToken().isPresent()),
        new EngineOpsRoutes(requests, engine.clock(), engine.metrics()),
        new SearchRoutes(requests == dataSource ? search.service() : search.service(requests)),
        new VectorSyncRoutes(requests, search.processor(), DocumentText.Limits.of(config.limits())),
        profileSyncRoutes(profiles),
        new WorkerRoutes(profiles.workers(), dataSource),
        new ProfileOpsRoutes(profiles.operations(), engine.jobs(), profiles.syncAvailable()));
  }

  private static WebServer.Routes profileSyncRoutes(ProfilePipeline profiles) {
    if (profiles.syncAvailable()) {
      return new ProfileSyncRoutes(profiles.sync());
    }
    return app ->
        app.post(
            ProfileSyncRoutes.PATH,
            ctx -> {
              throw new ApiException(
                  503, "not_configured", "profile sync is off on this node: set RAPIDAPI_KEY");
            },
            Role.SERVICE);
  }
}
