package dev.tributary.ai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  /**
   * @param classifications one per text, in order; null for a text in {@code unusable}
   * @param unusable texts (by index) the provider gave no usable answer for after its retries, with
   *     the reason: the caller stores the others and marks these, instead of failing all
   */
  record Result(
      List<Classification> classifications, TokenUsage usage, Map<Integer, String> unusable) {
    public Result {
      classifications = java.util.Collections.unmodifiableList(new ArrayList<>(classifications));
      unusable = Map.copyOf(unusable);
      for (int i = 0; i < classifications.size(); i++) {
        if ((classifications.get(i) == null) != unusable.containsKey(i)) {
          throw new IllegalArgumentException(
              "text " + i + " needs either a classification or a reason it has none");
        }
      }
    }

    /** Every text classified. */
    public Result(List<Classification> classifications, TokenUsage usage) {
      this(classifications, usage, Map.of());
    }
  }
}
