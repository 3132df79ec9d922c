package dev.tributary.pipelines.engagement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.connectors.ConnectorException;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.FakeHttpServer.Reply;
import dev.tributary.testing.Rows;
import java.net.URI;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ViralAlertWebhookTest {
  private final Rows rows = Rows.fresh();
  private final FakeHttpServer receiver = new FakeHttpServer();

  @AfterEach
  void close() {
    receiver.close();
    rows.close();
  }

  @Test
  void an_alert_goes_out_signed_once_and_a_failure_is_retried_by_the_job() {
    UUID tweet =
        rows.value(
            "INSERT INTO twitter_tweets (tweet_id, like_count) VALUES ('5', 900) RETURNING id");
    UUID alert =
        rows.value(
            "INSERT INTO twitter_viral_alerts (tweet_db_id, velocity, threshold, tier)"
                + " VALUES (?, 812.5, 500, 'ultra_hot') RETURNING id",
            tweet);
    ViralAlertWebhook hook =
        new ViralAlertWebhook(
            rows.dataSource(),
            URI.create(receiver.baseUrl() + "/hook"),
            "whsec",
            Clock.systemUTC());
    receiver.enqueue(Reply.json(503, "busy"));
    assertThatThrownBy(() -> hook.deliver(alert)).isInstanceOf(ConnectorException.class);

    receiver.otherwise(r -> Reply.json(200, "{}"));
    assertThat(hook.deliver(alert)).isTrue();
    assertThat(hook.deliver(alert)).as("delivered alerts are never sent again").isFalse();

    assertThat(receiver.requests()).hasSize(2);
    FakeHttpServer.Request sent = receiver.requests().get(1);
    assertThat(sent.body()).contains("\"tweet_id\" : \"5\"").contains("812.5");
    assertThat(sent.header(ViralAlertWebhook.SIGNATURE_HEADER))
        .isEqualTo("sha256=" + ViralAlertWebhook.sign("whsec", sent.body()));
    assertThat(
            (Object)
                rows.value("SELECT webhook_status FROM twitter_viral_alerts WHERE id = ?", alert))
        .isEqualTo(200);
  }
}
