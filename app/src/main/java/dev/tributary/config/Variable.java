package dev.tributary.config;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One environment variable Tributary reads: its name, its default as the README's configuration
 * table shows it, and what it means. The settings slices read the environment only through these,
 * so {@link TributaryConfig#VARIABLES} is the complete list and the README test holds the table to
 * it. Blank is unset; values are stripped. Every bad value is a {@link StartupException} naming the
 * variable and the accepted form.
 *
 * @param documentedDefault the README's default cell: {@code `value`}, {@code unset} or {@code
 *     unset: what happens then}
 */
public record Variable(String name, String documentedDefault, String meaning) {

  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /** A variable whose default is a value ({@code `value`} in the README). */
  public static Variable withDefault(String name, Object defaultValue, String meaning) {
    return new Variable(name, "`" + defaultValue + "`", meaning);
  }

  /** A variable without a default value; {@code whenUnset} says what happens then, or null. */
  public static Variable optional(String name, String whenUnset, String meaning) {
    return new Variable(name, whenUnset == null ? "unset" : "unset: " + whenUnset, meaning);
  }

  /** The stripped value, empty when unset or blank. */
  public Optional<String> read(Map<String, String> env) {
    String raw = env.get(name);
    return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.strip());
  }

  public String text(Map<String, String> env, String defaultValue) {
    return read(env).orElse(defaultValue);
  }

  public boolean isSet(Map<String, String> env) {
    return read(env).isPresent();
  }

  public int integer(Map<String, String> env, int defaultValue, int min, int max) {
    Optional<String> raw = read(env);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    String accepted = "an integer between " + min + " and " + max;
    try {
      int value = Integer.parseInt(raw.get());
      if (value < min || value > max) {
        throw bad(accepted, raw.get());
      }
      return value;
    } catch (NumberFormatException e) {
      throw bad(accepted, raw.get());
    }
  }

  /**
   * A duration written {@code <n>ms}, {@code <n>s} or {@code <n>m} (a whole number; without a unit,
   * seconds), at most {@code max}.
   */
  public Duration duration(Map<String, String> env, Duration defaultValue, Duration max) {
    Optional<String> raw = read(env);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    String accepted = "a duration like 500ms, 30s or 2m, at most " + max.toSeconds() + "s";
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m)?").matcher(raw.get());
    if (!m.matches()) {
      throw bad(accepted, raw.get());
    }
    long n = Long.parseLong(m.group(1));
    Duration value =
        switch (m.group(2) == null ? "s" : m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofSeconds(n);
        };
    if (value.compareTo(max) > 0) {
      throw bad(accepted, raw.get());
    }
    return value;
  }

  /** An http:// or https:// URL with a host; a trailing slash is dropped. */
  public Optional<URI> httpUrl(Map<String, String> env) {
    Optional<String> raw = read(env);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    String accepted = "an http:// or https:// URL like https://example.com/path";
    try {
      URI uri = new URI(raw.get().replaceAll("/+$", ""));
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw bad(accepted, raw.get());
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      throw bad(accepted, raw.get());
    }
  }

  public String httpUrl(Map<String, String> env, String defaultValue) {
    return httpUrl(env).map(URI::toString).orElse(defaultValue);
  }

  /** A five-field (UNIX) cron expression. */
  public String cron(Map<String, String> env, String defaultValue) {
    String value = text(env, defaultValue);
    try {
      CRON.parse(value).validate();
      return value;
    } catch (IllegalArgumentException e) {
      throw bad("a five-field cron expression like " + defaultValue, value);
    }
  }

  /** One of {@code choices} (upper case), matched without regard to case. */
  public Optional<String> choice(Map<String, String> env, Set<String> choices) {
    Optional<String> raw = read(env);
    if (raw.isPresent() && !choices.contains(raw.get().toUpperCase(Locale.ROOT))) {
      throw bad("one of " + String.join(", ", choices.stream().sorted().toList()), raw.get());
    }
    return raw.map(v -> v.toUpperCase(Locale.ROOT));
  }

  /** A text of at most {@code maxLength} characters without spaces or control characters. */
  public Optional<String> token(Map<String, String> env, int maxLength) {
    Optional<String> raw = read(env);
    if (raw.isPresent()
        && (raw.get().length() > maxLength
            || !raw.get().chars().allMatch(c -> c > 32 && c != 127))) {
      throw bad(
          "at most " + maxLength + " characters without spaces or control characters", raw.get());
    }
    return raw;
  }

  /** The start-up error for a variable that {@code feature} cannot run without. */
  public StartupException missing(String feature) {
    return new StartupException(feature + " needs the environment variable " + name + " to be set");
  }

  /**
   * The start-up error for a bad value. Only for variables that are not secrets: the value is
   * quoted back.
   */
  public StartupException bad(String accepted, String value) {
    return new StartupException(name + " must be " + accepted + ", got '" + value + "'");
  }
}
