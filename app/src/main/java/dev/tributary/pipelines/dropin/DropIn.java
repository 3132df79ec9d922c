package dev.tributary.pipelines.dropin;

import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.QueueConfig;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import javax.sql.DataSource;

/**
 * The drop-in SQL of the original platform on the engine: schemas {@code cron} (pg_cron's
 * interface, V100) and {@code net} (pg_net's, V101), each installed by its migration only where the
 * real extension is absent, and the values seed SQL reads ({@code get_supabase_url()}, V102).
 */
public final class DropIn {
  /** Commands of cron jobs running at once on one node (pg_cron's cron.max_running_jobs is 32). */
  public static final int CRON_CONCURRENCY = 4;

  /** net requests in flight at once on one node. */
  public static final int NET_CONCURRENCY = 8;

  /** Which layers this database has: ours, not the real extensions. */
  public record Layers(boolean cron, boolean net) {}

  private final DataSource dataSource;
  private final Jdbc jdbc;
  private final Layers layers;
  private final NetRequests net;

  public DropIn(DataSource dataSource) {
    this.dataSource = dataSource;
    this.jdbc = new Jdbc(dataSource);
    this.layers = detect(jdbc);
    this.net = layers.net() ? new NetRequests(dataSource) : null;
  }

  public Layers layers() {
    return layers;
  }

  private static Layers detect(Jdbc jdbc) {
    return jdbc.queryOne(
            """
            SELECT coalesce(obj_description(to_regnamespace('cron'), 'pg_namespace'), '')
                     LIKE 'tributary drop-in%' AS cron,
                   coalesce(obj_description(to_regnamespace('net'), 'pg_namespace'), '')
                     LIKE 'tributary drop-in%' AS net""",
            Params.NONE, rs -> new Layers(rs.getBoolean("cron"), rs.getBoolean("net")))
        .orElseThrow();
  }

  /** Adds the queues and the handlers of the layers this database has. */
  public EngineBuilder register(EngineBuilder engine) {
    engine.queue(QueueConfig.of(CronCommands.QUEUE, CRON_CONCURRENCY));
    engine.queue(QueueConfig.of(NetRequests.QUEUE, NET_CONCURRENCY));
    if (layers.cron()) {
      engine.handler(CronCommands.KIND, new CronCommands(dataSource));
    }
    if (layers.net()) {
      engine.handler(NetRequests.KIND, net);
    }
    return engine;
  }

  /**
   * Sends {@code net} requests to {@code <publicUrl>/functions/v1/*} to this node's HTTP server on
   * {@code localPort} over the loopback interface, with the same headers (so the same access
   * check), instead of through the public network.
   */
  public void serveOwnFunctionsLocally(String publicUrl, int localPort) {
    if (net == null) {
      return; // the real pg_net sends its requests itself
    }
    net.shortPathTo(
        new OwnFunctions(java.net.URI.create(publicUrl.replaceAll("/+$", "")), localPort));
  }

  /** Records this deployment's public URL, what {@code get_supabase_url()} returns. */
  public void publishUrl(String publicUrl) {
    jdbc.update(
        """
        INSERT INTO tributary_settings (name, value) VALUES ('public_url', :url)
        ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()""",
        Params.of("url", publicUrl.replaceAll("/+$", "")));
  }
}
