package dev.tributary.web.suppliers;

import dev.tributary.jdbc.Jdbc;
import dev.tributary.pipelines.suppliers.SupplierMetrics;
import dev.tributary.web.Role;
import dev.tributary.web.WebServer;
import io.javalin.Javalin;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Supplier sync metrics at {@code /metrics/suppliers}, guarded as {@code /metrics} is (open unless
 * METRICS_TOKEN is set).
 */
public final class SupplierMetricsRoutes implements WebServer.Routes {
  public static final String PATH = "/metrics/suppliers";
  private final SupplierMetrics metrics;
  private final boolean guarded;

  public SupplierMetricsRoutes(DataSource ds, boolean guarded) {
    this.metrics = new SupplierMetrics(new Jdbc(ds), Clock.systemUTC());
    this.guarded = guarded;
  }

  @Override
  public void accept(Javalin app) {
    Role[] roles = guarded ? new Role[] {Role.METRICS, Role.SERVICE} : new Role[] {Role.PUBLIC};
    app.get(
        PATH, ctx -> ctx.contentType(SupplierMetrics.CONTENT_TYPE).result(metrics.render()), roles);
  }
}
