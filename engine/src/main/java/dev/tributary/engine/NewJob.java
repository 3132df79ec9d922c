package dev.tributary.engine;

import java.util.Objects;

/** A job to enqueue: its kind, JSON-serializable args (a map, a record, a JsonNode) and options. */
public record NewJob(String kind, Object args, EnqueueOptions options) {
  public NewJob {
    Objects.requireNonNull(kind, "kind");
    if (kind.isBlank()) {
      throw new IllegalArgumentException("kind must not be blank");
    }
    options = options == null ? EnqueueOptions.DEFAULTS : options;
  }

  public static NewJob of(String kind, Object args) {
    return new NewJob(kind, args, EnqueueOptions.DEFAULTS);
  }

  public static NewJob of(String kind, Object args, EnqueueOptions options) {
    return new NewJob(kind, args, options);
  }
}
