package dev.tributary.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Compact JWS with HS256, the only form the two signed credentials we accept use: users' bearer
 * tokens (JWT_SECRET) and QStash's {@code Upstash-Signature}. No JWT library: the algorithm is
 * fixed, so a token naming another ({@code none}, RS256) is refused rather than obeyed.
 */
public final class Hs256Token {
  private static final Base64.Decoder B64 = Base64.getUrlDecoder();
  private static final Base64.Encoder B64_OUT = Base64.getUrlEncoder().withoutPadding();

  private Hs256Token() {}

  /** The claims of {@code token} when its signature is {@code key}'s, else empty. */
  public static Optional<JsonNode> verify(String token, String key) {
    if (token == null || key == null) {
      return Optional.empty();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonNode header = WebServer.JSON.readTree(B64.decode(parts[0]));
      if (!"HS256".equals(header.path("alg").asText())) {
        return Optional.empty();
      }
      byte[] expected = hmac(key, parts[0] + "." + parts[1]);
      byte[] given = B64.decode(parts[2]);
      if (!MessageDigest.isEqual(expected, given)) {
        return Optional.empty();
      }
      JsonNode claims = WebServer.JSON.readTree(B64.decode(parts[1]));
      return claims != null && claims.isObject() ? Optional.of(claims) : Optional.empty();
    } catch (IllegalArgumentException | java.io.IOException e) {
      return Optional.empty(); // not base64url or not JSON: not a token of ours
    }
  }

  /** Signs {@code claimsJson}; used by tests and by callers that mint tokens for users. */
  public static String sign(String claimsJson, String key) {
    String head =
        B64_OUT.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String body = B64_OUT.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
    return head + "." + body + "." + B64_OUT.encodeToString(hmac(key, head + "." + body));
  }

  private static byte[] hmac(String key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
