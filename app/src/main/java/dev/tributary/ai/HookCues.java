package dev.tributary.ai;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Surface patterns of hooks that a sentence-embedding model blurs: a question mark, a leading
 * number, "How to". Each adds a bonus to the hook type of the same name in the seed catalogue
 * (question, statistic, list, how_to, story, call_out, personal_confession, contrarian,
 * curiosity_gap); labels with other names get none, so an edited catalogue still works, on
 * embeddings alone.
 */
public final class HookCues implements LocalLabelClassifier.Cues {
  /**
   * About the gap between a clear and a middling cosine similarity: decisive only between close
   * labels.
   */
  static final double STRONG = 0.12;

  static final double WEAK = 0.06;

  private static final Pattern LEADING_LIST = Pattern.compile("^\\d{1,2}\\s+(?!%)[\\p{L}]");
  private static final Pattern NUMBER_FACT =
      Pattern.compile(
          "\\d+(?:[.,]\\d+)?\\s*(?:%|x\\b|k\\b|m\\b|percent|million|billion)|\\$\\s?\\d|\\d{1,3}(?:,\\d{3})+");
  private static final Pattern HOW_TO =
      Pattern.compile("^(?:how to|how i|how we|here'?s how|here is how|the way to)\\b");
  private static final Pattern STORY =
      Pattern.compile(
          "^(?:\\d+|one|two|three|four|five|six|ten) (?:years?|months?|weeks?|days?) ago\\b|^(?:yesterday|last (?:week|month|year|night)|when i was|in 19\\d\\d|in 20\\d\\d|it was \\d|i remember)\\b");
  private static final Pattern CALL_OUT =
      Pattern.compile(
          "^(?:if you(?:'re| are) an? |dear |to all |calling all |attention )|^[\\p{L} ]{3,30}(?:,|:) (?:read|stop|listen|this|please|don'?t)\\b");
  private static final Pattern CONFESSION =
      Pattern.compile(
          "^(?:i have a confession|confession|i almost|i failed|i was wrong|i got fired|i was fired|i quit|i lost|i cried|i'?m ashamed|i never told)\\b");
  private static final Pattern CONTRARIAN =
      Pattern.compile(
          "^(?:stop |unpopular opinion|hot take|don'?t |forget )|\\b(?:is dead|is overrated|is a myth|is a lie|is a waste of time|are wrong)\\b");
  private static final Pattern CURIOSITY =
      Pattern.compile(
          "\\b(?:nobody talks about|no one talks about|the one (?:thing|habit|mistake|question)|the secret|what happened next|it'?s not what you think|here'?s why)\\b");

  @Override
  public double bonus(String text, Label label) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    String t = text.strip().toLowerCase(Locale.ROOT).replace('\u2019', '\'');
    return switch (label.name().toLowerCase(Locale.ROOT)) {
      case "question" -> t.contains("?") ? STRONG : 0;
      case "statistic" -> NUMBER_FACT.matcher(t).find() ? STRONG : 0;
      case "list" -> LEADING_LIST.matcher(t).find() ? STRONG : 0;
      case "how_to" -> HOW_TO.matcher(t).find() ? STRONG : 0;
      case "story" -> STORY.matcher(t).find() ? STRONG : 0;
      case "call_out" -> CALL_OUT.matcher(t).find() ? WEAK : 0;
      case "personal_confession" -> CONFESSION.matcher(t).find() ? WEAK : 0;
      case "contrarian" -> CONTRARIAN.matcher(t).find() ? WEAK : 0;
      case "curiosity_gap" -> CURIOSITY.matcher(t).find() ? WEAK : 0;
      default -> 0;
    };
  }
}
