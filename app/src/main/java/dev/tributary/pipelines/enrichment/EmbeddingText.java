package dev.tributary.pipelines.enrichment;

import dev.tributary.ai.HookText;

/**
 * The text embedded for a post (S0.3): hook + content. A post whose hook is not extracted yet uses
 * the hook the extraction worker will store, so the vector does not depend on which worker ran
 * first. Cut to {@value #MAX_CHARS} characters: within text-embedding-3-small's 8,192-token input
 * for any script, and far beyond what a LinkedIn post (3,000 characters at most) needs.
 */
public final class EmbeddingText {
  public static final int MAX_CHARS = 6_000;

  private EmbeddingText() {}

  /** The text to embed, or empty when the post has none. */
  public static String of(String hook, String content) {
    String c = content == null ? "" : content.strip();
    String h = hook(hook, content);
    String text = h.isEmpty() ? c : c.isEmpty() ? h : h + "\n\n" + c;
    return cut(text, MAX_CHARS);
  }

  /**
   * The hook that {@link #of} puts first: the stored one, else the one the extraction worker will
   * store.
   */
  public static String hook(String hook, String content) {
    return hook == null || hook.isBlank()
        ? HookText.extract(content == null ? "" : content.strip())
        : hook.strip();
  }

  static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int cut = max;
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return text.substring(0, cut);
  }
}
