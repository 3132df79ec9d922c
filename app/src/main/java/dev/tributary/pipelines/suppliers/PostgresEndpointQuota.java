package dev.tributary.pipelines.suppliers;

import dev.tributary.connectors.bigbuy.EndpointQuota;
import dev.tributary.jdbc.Handle;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.time.Instant;
import java.util.Optional;

/**
 * BigBuy's per-endpoint, account-wide quotas in {@code supplier_endpoint_quotas}, as the last
 * answer's {@code X-RateLimit-*} headers said: every node reads them before calling.
 */
public final class PostgresEndpointQuota implements EndpointQuota {
  private final Jdbc jdbc;
  private final String prefix;

  public PostgresEndpointQuota(Jdbc jdbc, String prefix) {
    this.jdbc = jdbc;
    this.prefix = prefix + ":";
  }

  @Override
  public Optional<Instant> blockedUntil(String endpoint) {
    return jdbc.queryOne(
        "SELECT reset_at FROM supplier_endpoint_quotas WHERE endpoint = :e AND remaining <= 0",
        Params.of("e", prefix + endpoint),
        rs -> Handle.instant(rs, 1));
  }

  @Override
  public void record(String endpoint, int remaining, Instant reset) {
    jdbc.update(
        """
        INSERT INTO supplier_endpoint_quotas (endpoint, remaining, reset_at) VALUES (:e, :r, :reset)
        ON CONFLICT (endpoint) DO UPDATE
           SET remaining = EXCLUDED.remaining, reset_at = EXCLUDED.reset_at, updated_at = now()""",
        Params.of("e", prefix + endpoint, "r", remaining, "reset", reset));
  }
}
