package dev.tributary.ai;

import java.util.List;

/** Describes how an author writes, from a sample of their posts. */
public interface StyleAnalyser {
  /**
   * @param authorName shown in the prompt; may be empty
   * @param posts the author's post texts, most recent first; blank ones are ignored
   * @throws IllegalArgumentException when no post has text
   */
  StyleAnalysis analyse(String authorName, List<String> posts);

  /** Stored in {@code style_analyzed_by}. */
  String providerId();
}
