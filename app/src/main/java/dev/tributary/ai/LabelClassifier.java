package dev.tributary.ai;

import java.util.List;

/** Picks, for each text, the label of a catalogue that fits it best. */
public interface LabelClassifier {
  /**
   * One classification per text, in order; the usage is what the provider billed for the whole
   * call. Throws when the provider fails; the caller keeps the rows flagged so they are tried
   * again.
   */
  Result classify(List<String> texts, List<Label> labels);

  /**
   * Stored in {@code classified_by}, e.g. {@code local:all-minilm-l6-v2-q} or {@code
   * openai:gpt-4o-mini}.
   */
  String providerId();

  record Result(List<Classification> classifications, TokenUsage usage) {
    public Result {
      classifications = List.copyOf(classifications);
    }
  }
}
