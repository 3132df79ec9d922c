package dev.tributary.pipelines.suppliers;

import dev.tributary.connectors.webhook.SignedWebhook;
import dev.tributary.engine.PermanentJobException;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The end-of-sync webhook (S2.6), run as engine job {@value #KIND}: {@code {job_id, status, counts,
 * duration_ms, errors}} to {@code import_jobs.webhook_url} or the supplier's {@code webhook_url}
 * setting, signed as every webhook we send ({@link SignedWebhook}). A failed delivery throws and
 * the engine retries with backoff; {@code webhook_sent_at} records the delivery, and a job already
 * delivered is never sent again.
 */
public final class WebhookDelivery {
  public static final String KIND = "supplier.webhook";
  public static final String EVENT = "supplier_sync.finished";
  public static final int MAX_ATTEMPTS = 10;

  private final Jdbc jdbc;
  private final Optional<String> secret;
  private final SignedWebhook webhook;
  private final Clock clock;

  public WebhookDelivery(Jdbc jdbc, Optional<String> secret, Clock clock) {
    this.jdbc = jdbc;
    this.secret = secret;
    this.clock = clock;
    this.webhook = new SignedWebhook(Duration.ofSeconds(10), clock);
  }

  record Pending(String url, String body) {}

  /** Sends the webhook of {@code importJobId} unless it was delivered already. */
  public void deliver(UUID importJobId) {
    Optional<Pending> pending =
        jdbc.queryOne(
            """
            SELECT coalesce(j.webhook_url, s.settings->>'webhook_url') AS url,
                   jsonb_build_object(
                     'job_id', j.id, 'status', j.status,
                     'counts', jsonb_build_object(
                        'inserted', coalesce((j.result->>'inserted')::int, 0),
                        'updated', coalesce((j.result->>'updated')::int, 0),
                        'unchanged', coalesce((j.result->>'unchanged')::int, 0),
                        'discontinued', coalesce((j.result->>'discontinued')::int, 0),
                        'failed', j.failed_items, 'processed', j.processed_items),
                     'duration_ms', floor(extract(epoch FROM j.completed_at - j.started_at) * 1000)::bigint,
                     'errors', j.errors)::text AS body
              FROM import_jobs j LEFT JOIN suppliers s ON s.id = j.supplier_id
             WHERE j.id = :id AND j.webhook_sent_at IS NULL AND j.status IN ('completed', 'failed')""",
            Params.of("id", importJobId),
            rs -> new Pending(rs.getString("url"), rs.getString("body")));
    if (pending.isEmpty() || pending.get().url() == null) {
      return; // delivered already, or nowhere to send
    }
    String key =
        secret.orElseThrow(
            () ->
                new PermanentJobException(
                    "SUPPLIER_WEBHOOK_SECRET is not set: end-of-sync webhooks cannot be signed"));
    URI url;
    try {
      url = URI.create(pending.get().url());
    } catch (IllegalArgumentException e) {
      throw new PermanentJobException("webhook_url is not a URL: " + e.getMessage());
    }
    webhook.post(url, key, EVENT, importJobId.toString(), pending.get().body());
    Instant now = clock.instant();
    jdbc.update(
        "UPDATE import_jobs SET webhook_sent_at = :now WHERE id = :id AND webhook_sent_at IS NULL",
        Params.of("now", now, "id", importJobId));
  }
}
