package dev.tributary.pipelines.engagement;

import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.VendorHttp;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * Sends one viral alert to ENGAGEMENT_ALERT_WEBHOOK_URL: a JSON body signed with HMAC-SHA256 of the
 * raw body under ENGAGEMENT_ALERT_WEBHOOK_SECRET, in {@value #SIGNATURE_HEADER} as {@code
 * sha256=<hex>}. Run by an engine job whose unique key is the alert, so each alert goes out once; a
 * delivered alert is stamped and never sent again, even when the job runs twice.
 */
public final class ViralAlertWebhook {
  public static final String SIGNATURE_HEADER = "X-Tributary-Signature";
  public static final String KIND = TrackingStore.WEBHOOK_KIND;

  private final Jdbc jdbc;
  private final URI url;
  private final String secret;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  public ViralAlertWebhook(DataSource ds, URI url, String secret, Clock clock) {
    this.jdbc = new Jdbc(ds);
    this.url = url;
    this.secret = secret;
    this.clock = clock;
  }

  /** How long one delivery holds an alert; longer than the request timeout. */
  static final Duration CLAIM = Duration.ofSeconds(60);

  private static final String CLAIM_ALERT =
      """
      WITH held AS (
        UPDATE twitter_viral_alerts SET webhook_claimed_until = :until
         WHERE id = :id AND webhook_sent_at IS NULL
           AND (webhook_claimed_until IS NULL OR webhook_claimed_until < :now)
        RETURNING id)
      SELECT json_build_object('type', 'viral_tweet', 'alert_id', a.id, 'tweet_db_id', w.id,
               'tweet_id', w.tweet_id, 'url', w.url, 'author', w.author_username,
               'velocity', a.velocity, 'threshold', a.threshold, 'tier', a.tier,
               'likes', w.like_count, 'retweets', w.retweet_count, 'replies', w.reply_count,
               'quotes', w.quote_count, 'created_at', a.created_at)::text
        FROM held JOIN twitter_viral_alerts a ON a.id = held.id
        JOIN twitter_tweets w ON w.id = a.tweet_db_id
      """;

  /**
   * Delivers the alert unless it was delivered already or another delivery holds it right now
   * (false then); a failure throws (the job retries). Two deliveries of one alert racing send it
   * once: each first claims the alert.
   */
  public boolean deliver(UUID alertId) {
    Instant now = clock.instant();
    Optional<String> body =
        jdbc.queryOne(
            CLAIM_ALERT,
            Params.of("id", alertId, "now", now, "until", now.plus(CLAIM)),
            rs -> rs.getString(1));
    if (body.isEmpty()) {
      return false;
    }
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, "sha256=" + sign(secret, body.get()))
            .POST(HttpRequest.BodyPublishers.ofString(body.get()))
            .build();
    HttpResponse<String> r;
    try {
      r = VendorHttp.send(http, request, "alert webhook", clock);
    } catch (ConnectorException e) {
      jdbc.update(
          "UPDATE twitter_viral_alerts SET webhook_status = :s, webhook_claimed_until = NULL"
              + " WHERE id = :id",
          Params.of("s", e.status(), "id", alertId));
      throw e;
    }
    jdbc.update(
        "UPDATE twitter_viral_alerts SET webhook_sent_at = now(), webhook_status = :s,"
            + " webhook_claimed_until = NULL WHERE id = :id",
        Params.of("s", r.statusCode(), "id", alertId));
    return true;
  }

  /** Hex HMAC-SHA256 of the body: what a receiver recomputes and compares in constant time. */
  public static String sign(String secret, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
