package dev.tributary.web.ops;

import dev.tributary.engine.JobMatch;
import dev.tributary.engine.JobState;
import dev.tributary.web.ApiException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** Reads a job filter (state, queue, kind, from, to, up_to_id) from named text values. */
final class JobQueries {
  private JobQueries() {}

  static JobMatch match(UnaryOperator<String> param) {
    try {
      return new JobMatch(
          state(param.apply("state")),
          param.apply("queue"),
          param.apply("kind"),
          instant("from", param.apply("from")),
          instant("to", param.apply("to")),
          optionalId("up_to_id", param.apply("up_to_id")));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  static JobState state(String state) {
    if (state == null || state.isBlank()) {
      return null;
    }
    try {
      return JobState.valueOf(state.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "unknown state '" + state + "': use available, running, completed, dead or cancelled");
    }
  }

  static Instant instant(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          name + " must be an ISO-8601 instant such as 2025-01-31T09:00:00Z, got '" + value + "'");
    }
  }

  static Long optionalId(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      long id = Long.parseLong(value.strip());
      if (id < 1) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          name + " must be a job id (a positive number), got '" + value + "'");
    }
  }

  static int limit(String value, int defaultValue, int max) {
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("limit must be a number between 1 and " + max);
  }
}
