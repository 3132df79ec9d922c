package dev.tributary.db;

import dev.tributary.config.StartupException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A database location from {@code DATABASE_URL}: either {@code postgres://user:pass@host:port/db}
 * (the form hosted platforms hand out) or a {@code jdbc:postgresql://} URL, normalised to what the
 * JDBC driver takes. {@link #redacted()} is the only form that may be printed.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password, String redacted) {

  public static DatabaseUrl parse(String raw) {
    String value = raw.trim();
    if (value.startsWith("jdbc:postgresql:")) {
      return new DatabaseUrl(value, null, null, value.replaceAll("password=[^&]*", "password=***"));
    }
    if (!(value.startsWith("postgres://") || value.startsWith("postgresql://"))) {
      throw new StartupException(
          "DATABASE_URL must look like postgres://user:password@host:5432/database or jdbc:postgresql://host:5432/database"
              + " (it starts with '"
              + scheme(value)
              + "')");
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new StartupException("DATABASE_URL is not a valid URL: " + e.getReason());
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw new StartupException(
          "DATABASE_URL has no host: expected postgres://user:password@host:5432/database");
    }
    String path = uri.getRawPath();
    if (path == null || path.length() <= 1) {
      throw new StartupException(
          "DATABASE_URL names no database: expected postgres://user:password@host:5432/database");
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + path + query;
    String shown =
        "postgres://"
            + (user == null ? "" : user + (password == null ? "" : ":***") + "@")
            + uri.getHost()
            + ":"
            + port
            + path;
    return new DatabaseUrl(jdbc, user, password, shown);
  }

  private static String scheme(String value) {
    int colon = value.indexOf(':');
    return colon < 0
        ? value.substring(0, Math.min(value.length(), 12))
        : value.substring(0, colon + 1);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return redacted;
  }
}
