package dev.tributary.ai;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** One choice of a catalogue a classifier picks from (a row of hook_types, topics or audiences). */
public record Label(UUID id, String name, String description, List<String> examples) {
  public Label {
    Objects.requireNonNull(id, "id");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a label needs a name");
    }
    description = description == null ? "" : description.strip();
    examples =
        examples == null
            ? List.of()
            : examples.stream().filter(e -> e != null && !e.isBlank()).toList();
  }

  /** {@code personal_confession} reads as "personal confession" to a model. */
  public String readableName() {
    return name.replace('_', ' ').strip();
  }
}
