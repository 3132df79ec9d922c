package dev.tributary.node;

import dev.tributary.config.SecuritySettings;
import dev.tributary.config.TributaryConfig;
import dev.tributary.engine.Engine;
import dev.tributary.pipelines.engagement.EngagementPipeline;
import dev.tributary.pipelines.profiles.ProfilePipeline;
import dev.tributary.pipelines.publishing.PublishingModule;
import dev.tributary.pipelines.suppliers.SupplierPipeline;
import dev.tributary.pipelines.vectorsync.DocumentText;
import dev.tributary.pipelines.vectorsync.SearchModule;
import dev.tributary.web.Access;
import dev.tributary.web.AccessSettings;
import dev.tributary.web.ApiException;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import dev.tributary.web.compat.FunctionsGateway;
import dev.tributary.web.console.BoardRoutes;
import dev.tributary.web.console.ConsoleRoutes;
import dev.tributary.web.engagement.EngagementRoutes;
import dev.tributary.web.enrichment.WorkerRoutes;
import dev.tributary.web.ops.BulkJobRoutes;
import dev.tributary.web.ops.ConsoleOpsRoutes;
import dev.tributary.web.ops.EngineOpsRoutes;
import dev.tributary.web.ops.OrchestratorRoutes;
import dev.tributary.web.profiles.ProfileOpsRoutes;
import dev.tributary.web.profiles.ProfileSyncRoutes;
import dev.tributary.web.publishing.PublishingRoutes;
import dev.tributary.web.search.SearchRoutes;
import dev.tributary.web.suppliers.SupplierMetricsRoutes;
import dev.tributary.web.suppliers.SupplierRoutes;
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
            config
                .engagement()
                .qstashUrlBase()
                .or(() -> config.core().publicUrlSetting())
                .map(java.net.URI::toString),
            config.engagement().updateSecret(),
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
      SearchModule search,
      EngagementPipeline engagement,
      SupplierPipeline suppliers,
      PublishingModule publishing) {
    return List.of(
        new OrchestratorRoutes(
            requests,
            engine.clock(),
            engine.metrics(),
            publishing != null ? publishing.metrics() : null,
            config.security().metricsToken().isPresent()),
        new EngineOpsRoutes(requests, engine.clock(), engine.metrics()),
        new BulkJobRoutes(dataSource, engine.clock()),
        new ConsoleOpsRoutes(requests, engine.clock()),
        new BoardRoutes(requests, engine.clock()),
        new ConsoleRoutes(),
        new SearchRoutes(requests == dataSource ? search.service() : search.service(requests)),
        new VectorSyncRoutes(requests, search.processor(), DocumentText.Limits.of(config.limits())),
        profileSyncRoutes(profiles),
        new WorkerRoutes(profiles.workers(), dataSource),
        new ProfileOpsRoutes(profiles.operations(), engine.jobs(), profiles.syncAvailable()),
        new EngagementRoutes(engagement.service()),
        new SupplierRoutes(suppliers),
        new SupplierMetricsRoutes(dataSource, config.security().metricsToken().isPresent()),
        publishing != null
            ? new PublishingRoutes(publishing, engine.jobs())
            : PublishingRoutes.off(),
        new FunctionsGateway()); // last: the functions above match first
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
