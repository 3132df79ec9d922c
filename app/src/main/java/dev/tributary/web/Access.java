package dev.tributary.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one authentication step. It runs before every matched handler, reads every credential the
 * request presents, and lets the request through when one of them grants a role the route declared.
 * A route that declares no role is refused: access is opt-in, never forgotten.
 *
 * <p>Answers 401 when no presented credential is valid (none, or wrong ones) and 403 when a valid
 * credential lacks the route's role. Messages say which credential the route takes, never which
 * secrets the server has configured.
 */
public final class Access {
  public static final String SCHEDULER_HEADER = "X-Scheduler-Secret";
  public static final String QSTASH_HEADER = "Upstash-Signature";

  /** Clock skew allowed between QStash and this node on {@code exp} and {@code nbf}. */
  public static final long QSTASH_CLOCK_TOLERANCE_SECONDS = 5;

  private final Optional<Secret> serviceKey;
  private final Optional<Secret> schedulerSecret;
  private final Optional<Secret> anonKey;
  private final Optional<Secret> metricsToken;
  private final Optional<Secret> engagementUpdateSecret;
  private final Optional<Secret> adminKey;
  private final Optional<String> jwtSecret;
  private final List<String> qstashKeys;
  private final Optional<String> publicUrl;
  private final Clock clock;

  public Access(AccessSettings settings, Clock clock) {
    this.serviceKey = Secret.of(settings.serviceRoleKey());
    this.schedulerSecret = Secret.of(settings.schedulerSecret());
    this.anonKey = Secret.of(settings.anonKey());
    this.metricsToken = Secret.of(settings.metricsToken());
    this.engagementUpdateSecret = Secret.of(settings.engagementUpdateSecret());
    this.adminKey = Secret.of(settings.adminKey());
    this.jwtSecret = settings.jwtSecret().filter(s -> !s.isBlank());
    this.qstashKeys =
        java.util.stream.Stream.of(
                settings.qstashCurrentSigningKey(), settings.qstashNextSigningKey())
            .flatMap(Optional::stream)
            .filter(s -> !s.isBlank())
            .toList();
    this.publicUrl = settings.publicUrl().map(u -> u.replaceAll("/+$", ""));
    this.clock = clock;
  }

  /** Whether /metrics needs a token (it is open otherwise, as Prometheus scrapes usually are). */
  public boolean metricsGuarded() {
    return metricsToken.isPresent();
  }

  /** Javalin's before-matched hook: establishes the caller and checks the route's roles. */
  void check(Context ctx) {
    Set<RouteRole> wanted = ctx.routeRoles();
    if (wanted.contains(Role.PUBLIC)) {
      return;
    }
    if (wanted.isEmpty()) {
      // a route added without roles: refused, so a forgotten declaration never opens data
      throw new ApiException(403, "forbidden", "this route is not open to any caller");
    }
    Presented p = presented(ctx);
    Caller caller = new Caller(p.granted, p.userId);
    ctx.attribute(Caller.ATTRIBUTE, caller);
    for (RouteRole r : wanted) {
      if (p.granted.contains((Role) r)) {
        return;
      }
    }
    if (p.granted.isEmpty()) {
      throw ApiException.unauthorized(
          (p.any ? "invalid credentials" : "missing credentials")
              + ": this route takes "
              + how(wanted));
    }
    throw ApiException.forbidden("these credentials do not give access to this route");
  }

  private record Presented(Set<Role> granted, Optional<String> userId, boolean any) {}

  private Presented presented(Context ctx) {
    Set<Role> granted = EnumSet.noneOf(Role.class);
    Optional<String> userId = Optional.empty();
    boolean any = false;
    String bearer = bearer(ctx.header("Authorization"));
    if (bearer != null) {
      any = true;
      if (matches(serviceKey, bearer)) {
        granted.add(Role.SERVICE);
      }
      if (matches(anonKey, bearer)) {
        granted.add(Role.ANON);
      }
      if (matches(metricsToken, bearer)) {
        granted.add(Role.METRICS);
      }
      if (matches(engagementUpdateSecret, bearer)) {
        granted.add(Role.ENGAGEMENT_UPDATE);
      }
      if (matches(adminKey, bearer)) {
        granted.add(Role.ADMIN);
      }
      Optional<String> user = user(bearer);
      if (user.isPresent()) {
        granted.add(Role.USER);
        userId = user;
      }
    }
    String apikey = ctx.header("apikey");
    if (apikey != null && !apikey.isBlank()) {
      // the original platform's clients send the anon key in this header beside the bearer
      if (matches(anonKey, apikey.strip())) {
        granted.add(Role.ANON);
      } else if (matches(serviceKey, apikey.strip())) {
        granted.add(Role.SERVICE);
      }
    }
    String scheduler = ctx.header(SCHEDULER_HEADER);
    if (scheduler != null) {
      any = true;
      if (matches(schedulerSecret, scheduler.strip())) {
        granted.add(Role.SCHEDULER);
      }
    }
    String signature = ctx.header(QSTASH_HEADER);
    if (signature != null) {
      any = true;
      if (qstashValid(signature.strip(), ctx)) {
        granted.add(Role.QSTASH);
      }
    }
    return new Presented(granted, userId, any);
  }

  /**
   * The token of {@code Authorization: Bearer <token>}: scheme case-insensitive, surrounding
   * whitespace ignored, the same everywhere. Null when absent or another scheme.
   */
  public static String bearer(String header) {
    if (header == null) {
      return null;
    }
    String h = header.strip();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = h.substring(7).strip();
    return token.isEmpty() ? null : token;
  }

  private static boolean matches(Optional<Secret> secret, String presented) {
    return secret.isPresent() && secret.get().matches(presented);
  }

  private Optional<String> user(String token) {
    if (jwtSecret.isEmpty()) {
      return Optional.empty();
    }
    Optional<JsonNode> claims = Hs256Token.verify(token, jwtSecret.get());
    if (claims.isEmpty()) {
      return Optional.empty();
    }
    JsonNode c = claims.get();
    long now = clock.instant().getEpochSecond();
    if (!c.path("exp").canConvertToLong() || c.path("exp").asLong() < now) {
      return Optional.empty(); // a token without an expiry is refused: it would never end
    }
    if (c.has("nbf") && c.path("nbf").asLong() > now) {
      return Optional.empty();
    }
    String sub = c.path("sub").asText("");
    return sub.isBlank() ? Optional.empty() : Optional.of(sub);
  }

  /** QStash's verification: each signing key in turn, claims, then the raw body's hash. */
  private boolean qstashValid(String token, Context ctx) {
    long now = clock.instant().getEpochSecond();
    for (String key : qstashKeys) {
      Optional<JsonNode> claims = Hs256Token.verify(token, key);
      if (claims.isEmpty()) {
        continue;
      }
      JsonNode c = claims.get();
      if (!"Upstash".equals(c.path("iss").asText())
          || now - QSTASH_CLOCK_TOLERANCE_SECONDS > c.path("exp").asLong(0)
          || now + QSTASH_CLOCK_TOLERANCE_SECONDS < c.path("nbf").asLong(0)) {
        continue;
      }
      if (publicUrl.isPresent() && !(publicUrl.get() + ctx.path()).equals(c.path("sub").asText())) {
        continue;
      }
      String hash = bodyHash(ctx.bodyAsBytes());
      return MessageDigest.isEqual(
          c.path("body").asText("").replaceAll("=+$", "").getBytes(StandardCharsets.US_ASCII),
          hash.getBytes(StandardCharsets.US_ASCII));
    }
    return false;
  }

  static String bodyHash(byte[] body) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String how(Set<RouteRole> wanted) {
    List<String> ways = new java.util.ArrayList<>();
    for (RouteRole r : wanted) {
      switch ((Role) r) {
        case SERVICE -> ways.add("'Authorization: Bearer <SERVICE_ROLE_KEY>'");
        case SCHEDULER -> ways.add("'" + SCHEDULER_HEADER + ": <SCHEDULER_SECRET>'");
        case USER -> ways.add("a user's token ('Authorization: Bearer <JWT>')");
        case QSTASH -> ways.add("a QStash '" + QSTASH_HEADER + "'");
        case ANON -> ways.add("the anon key");
        case METRICS -> ways.add("'Authorization: Bearer <METRICS_TOKEN>'");
        case ENGAGEMENT_UPDATE -> ways.add("'Authorization: Bearer <ENGAGEMENT_UPDATE_SECRET>'");
        case ADMIN -> ways.add("'Authorization: Bearer <ADMIN_KEY>'");
        case PUBLIC -> ways.add("nothing");
      }
    }
    return String.join(" or ", ways);
  }
}
