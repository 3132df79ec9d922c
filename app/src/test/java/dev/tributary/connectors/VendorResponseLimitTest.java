package dev.tributary.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.config.LimitsSettings;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.FakeHttpServer.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A vendor's answer past the size limit is a final connector error, never a full heap. */
class VendorResponseLimitTest {
  private final FakeHttpServer fake = new FakeHttpServer();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    VendorHttp.limitResponses(LimitsSettings.DEFAULT_VENDOR_MAX_RESPONSE_BYTES);
    fake.close();
  }

  private HttpRequest get() {
    return HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/big")).build();
  }

  @Test
  void an_answer_past_the_limit_is_refused_and_one_within_it_is_read() {
    VendorHttp.limitResponses(2048);
    fake.enqueue(
        Reply.json(200, "{\"data\":\"" + "x".repeat(4096) + "\"}"),
        Reply.json(200, "{\"data\":\"" + "y".repeat(1000) + "\"}"));

    ConnectorException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            ConnectorException.class,
            () -> VendorHttp.send(http, get(), "vendor", Clock.systemUTC()));
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("larger than 2048 bytes");

    assertThat(VendorHttp.send(http, get(), "vendor", Clock.systemUTC()).body()).hasSize(1000 + 11);
  }
}
