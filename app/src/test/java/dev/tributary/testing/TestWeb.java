package dev.tributary.testing;

import dev.tributary.pipelines.vectorsync.SearchModule;
import dev.tributary.web.Access;
import dev.tributary.web.AccessSettings;
import dev.tributary.web.WebServer;
import dev.tributary.web.search.SearchRoutes;
import dev.tributary.web.vectorsync.VectorSyncRoutes;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Starts the real server on port 0 with the credentials a test names, as the node does. */
public final class TestWeb {
  private TestWeb() {}

  /** Credentials from variables named as in production (SERVICE_ROLE_KEY, SCHEDULER_SECRET…). */
  public static Access access(Map<String, String> env, Clock clock) {
    return new Access(
        new AccessSettings(
            get(env, "SERVICE_ROLE_KEY"),
            get(env, "SCHEDULER_SECRET"),
            get(env, "JWT_SECRET"),
            get(env, "ANON_KEY"),
            get(env, "METRICS_TOKEN"),
            get(env, "QSTASH_CURRENT_SIGNING_KEY"),
            get(env, "QSTASH_NEXT_SIGNING_KEY"),
            get(env, "QSTASH_URL_BASE").or(() -> get(env, "TRIBUTARY_PUBLIC_URL")),
            get(env, "ENGAGEMENT_UPDATE_SECRET"),
            get(env, "ADMIN_KEY")),
        clock);
  }

  public static WebServer start(
      DataSource ds, Map<String, String> env, List<? extends WebServer.Routes> routes) {
    return WebServer.start(0, ds, access(env, Clock.systemUTC()), List.copyOf(routes));
  }

  public static WebServer start(DataSource ds, Map<String, String> env, WebServer.Routes routes) {
    return start(ds, env, List.of(routes));
  }

  /** The search and vector sync routes of a module, as a node adds them. */
  public static List<WebServer.Routes> searchRoutes(SearchModule module, DataSource ds) {
    return List.of(
        new SearchRoutes(module.service()), new VectorSyncRoutes(ds, module.processor()));
  }

  private static Optional<String> get(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
  }
}
