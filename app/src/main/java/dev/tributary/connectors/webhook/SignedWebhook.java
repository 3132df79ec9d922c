package dev.tributary.connectors.webhook;

import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.VendorHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhooks we send share one scheme: a JSON body, POSTed with {@value #SIGNATURE_HEADER}:
 * {@code sha256=<hex HMAC-SHA256 of the raw body bytes, keyed by the feature's secret>}, {@value
 * #EVENT_HEADER} naming the event and {@value #DELIVERY_HEADER} an id that stays the same across
 * retries (receivers deduplicate on it). A receiver recomputes the HMAC over the bytes it received
 * and compares in constant time. Any 2xx is a delivery; anything else is thrown (retryable).
 */
public final class SignedWebhook implements AutoCloseable {
  public static final String SIGNATURE_HEADER = "X-Tributary-Signature";
  public static final String EVENT_HEADER = "X-Tributary-Event";
  public static final String DELIVERY_HEADER = "X-Tributary-Delivery";
  public static final String VENDOR = "webhook";

  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;

  public SignedWebhook(Duration timeout, Clock clock) {
    this.timeout = timeout;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** {@code sha256=} and the lower-case hex HMAC-SHA256 of {@code body} keyed by {@code secret}. */
  public static String signature(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  /** Sends once; returns the receiver's status (2xx), throws otherwise. */
  public int post(URI url, String secret, String event, String deliveryId, String json) {
    if (url.getScheme() == null
        || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
      throw ConnectorException.invalid(VENDOR, "a webhook URL must be http(s)");
    }
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, signature(secret, body))
            .header(EVENT_HEADER, event)
            .header(DELIVERY_HEADER, deliveryId)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return VendorHttp.send(http, request, VENDOR, clock).statusCode();
  }

  @Override
  public void close() {
    http.close();
  }
}
