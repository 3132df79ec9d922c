package dev.tributary.pipelines.publishing;

import java.util.Objects;
import java.util.UUID;

/** One publishable row: its source table and id. Also the args of a publish job. */
public record PostRef(String source, UUID id) {
  public PostRef {
    Source.of(source);
    Objects.requireNonNull(id, "id");
  }

  public static PostRef of(Source source, UUID id) {
    return new PostRef(source.wire(), id);
  }

  public Source kind() {
    return Source.of(source);
  }

  @Override
  public String toString() {
    return source + " " + id;
  }
}
