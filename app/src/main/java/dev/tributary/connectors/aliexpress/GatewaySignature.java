package dev.tributary.connectors.aliexpress;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AliExpress Open Platform gateway's {@code sign}: the parameters sorted by name and
 * concatenated as {@code name + value} (without {@code sign}), then {@code md5}: {@code
 * UPPER(HEX(MD5(secret + s + secret)))}, or {@code sha256}: {@code UPPER(HEX(HMAC_SHA256(secret,
 * s)))}.
 */
public final class GatewaySignature {
  private GatewaySignature() {}

  public static String sign(Map<String, String> params, String secret, String method) {
    StringBuilder s = new StringBuilder();
    new TreeMap<>(params)
        .forEach(
            (k, v) -> {
              if (!k.equals("sign") && v != null) {
                s.append(k).append(v);
              }
            });
    try {
      byte[] digest;
      if (method.equals("md5")) {
        digest =
            MessageDigest.getInstance("MD5")
                .digest((secret + s + secret).getBytes(StandardCharsets.UTF_8));
      } else if (method.equals("sha256")) {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        digest = mac.doFinal(s.toString().getBytes(StandardCharsets.UTF_8));
      } else {
        throw new IllegalArgumentException("sign method is md5 or sha256, got " + method);
      }
      return HexFormat.of().withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has MD5 and HmacSHA256", e);
    }
  }
}
