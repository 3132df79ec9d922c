package dev.tributary.connectors.linkedin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A profile's {@code linkedin_id} turned into the {@code linkedin_url} the provider wants. Accepts
 * the public id ({@code alexhormozi}) or a profile URL ({@code
 * https://www.linkedin.com/in/alexhormozi/}); anything else is refused before a credit is spent on
 * it.
 */
public final class LinkedInProfileUrl {
  /**
   * LinkedIn public ids: 3-100 letters, digits or hyphens; older ones also carry underscores or
   * non-Latin letters.
   */
  private static final Pattern PUBLIC_ID = Pattern.compile("[\\p{L}\\p{N}_-]{3,100}");

  private static final Pattern PROFILE_URL =
      Pattern.compile(
          "(?i)^(?:https?://)?(?:[a-z]{2,3}\\.|www\\.)?linkedin\\.com/in/([^/?#\\s]+)/?(?:[?#].*)?$");

  private LinkedInProfileUrl() {}

  /** The public id inside {@code linkedinId}, or empty when it is not a valid id or profile URL. */
  public static Optional<String> publicId(String linkedinId) {
    if (linkedinId == null) {
      return Optional.empty();
    }
    String v = linkedinId.strip();
    Matcher m = PROFILE_URL.matcher(v);
    if (m.matches()) {
      v = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    }
    return PUBLIC_ID.matcher(v).matches() ? Optional.of(v) : Optional.empty();
  }

  /**
   * {@code https://www.linkedin.com/in/<id>/}, or an exception naming what is wrong with the id.
   */
  public static String of(String linkedinId) {
    return "https://www.linkedin.com/in/"
        + publicId(linkedinId)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "malformed linkedin_id '"
                            + shown(linkedinId)
                            + "': expected a public id like 'alexhormozi'"
                            + " (3-100 letters, digits or hyphens) or https://www.linkedin.com/in/<id>/"))
        + "/";
  }

  private static String shown(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
