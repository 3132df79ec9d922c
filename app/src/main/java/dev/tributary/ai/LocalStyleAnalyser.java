package dev.tributary.ai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Style analysis with no key and no network: {@link TextStatistics} turned into a plain-language
 * brief a writer can follow. Deterministic: the same posts give the same prompt.
 */
public final class LocalStyleAnalyser implements StyleAnalyser {
  public static final String PROVIDER_ID = "local:text-statistics";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String providerId() {
    return PROVIDER_ID;
  }

  @Override
  public StyleAnalysis analyse(String authorName, List<String> posts) {
    TextStatistics s = TextStatistics.of(posts);
    ObjectNode analysis = JSON.createObjectNode();
    analysis.put("provider", PROVIDER_ID);
    analysis.put("length_profile", lengthProfile(s));
    analysis.put("dominant_hook_pattern", dominantHook(s));
    analysis.put("person", person(s));
    analysis.set("metrics", s.toJson());
    return new StyleAnalysis(prompt(authorName, s), analysis, PROVIDER_ID, TokenUsage.NONE);
  }

  static String prompt(String authorName, TextStatistics s) {
    List<String> parts = new ArrayList<>();
    String who = authorName == null || authorName.isBlank() ? "this author" : authorName.strip();
    parts.add(
        String.format(
            Locale.ROOT,
            "Write like %s: %s posts of about %d words, sentences of about %d words.",
            who,
            lengthProfile(s),
            Math.round(s.avgWordsPerPost()),
            Math.max(1, Math.round(s.avgSentenceWords()))));
    if (s.singleLineParagraphShare() >= 0.6) {
      parts.add(
          "Put almost every sentence on its own line, with a blank line between them, so the post reads as a vertical list of short beats.");
    } else if (s.avgSentencesPerParagraph() >= 2.5) {
      parts.add(
          String.format(
              Locale.ROOT,
              "Write in full paragraphs of about %d sentences.",
              Math.round(s.avgSentencesPerParagraph())));
    } else {
      parts.add("Use short paragraphs of one to three sentences, separated by blank lines.");
    }
    parts.add(
        String.format(
            Locale.ROOT,
            "Open with a hook of about %d words%s.",
            Math.max(1, Math.round(s.avgHookWords())),
            hookAdvice(dominantHook(s))));
    if (s.postsWithListShare() >= 0.3) {
      parts.add("Often structure the body as a list (numbered or bulleted lines).");
    }
    parts.add(
        switch (person(s)) {
          case "first_person_singular" ->
              "Speak in the first person singular, from personal experience.";
          case "first_person_plural" -> "Speak as \"we\", for a team or a company.";
          case "second_person" -> "Address the reader directly as \"you\".";
          default -> "Mix personal experience with direct advice to the reader.";
        });
    if (s.emojiPerPost() >= 3) {
      parts.add(
          String.format(
              Locale.ROOT,
              "Use emoji generously (about %d per post).",
              Math.round(s.emojiPerPost())));
    } else if (s.postsWithEmojiShare() >= 0.3) {
      parts.add("Use an emoji now and then, never more than a few per post.");
    } else {
      parts.add("Do not use emoji.");
    }
    if (s.postsEndingWithQuestionShare() >= 0.3) {
      parts.add("End with a question to the reader to invite comments.");
    } else if (s.questionSentenceShare() >= 0.1) {
      parts.add("Ask the reader questions along the way.");
    }
    if (s.hashtagsPerPost() >= 1) {
      parts.add(
          String.format(
              Locale.ROOT, "Close with about %d hashtags.", Math.round(s.hashtagsPerPost())));
    } else {
      parts.add("Avoid hashtags.");
    }
    parts.add(
        s.typeTokenRatio() >= 0.6
            ? "Keep the vocabulary varied and precise."
            : "Keep the vocabulary simple and repeat key words for rhythm.");
    if (!s.favouriteWords().isEmpty()) {
      parts.add(
          "Words this author comes back to: "
              + String.join(
                  ", ", s.favouriteWords().subList(0, Math.min(8, s.favouriteWords().size())))
              + ".");
    }
    return String.join(" ", parts);
  }

  static String lengthProfile(TextStatistics s) {
    double w = s.avgWordsPerPost();
    return w < 60 ? "very short" : w < 150 ? "short" : w < 300 ? "medium-length" : "long";
  }

  /**
   * The hook pattern seen in most posts (ties broken by the patterns' fixed order), or "statement".
   */
  static String dominantHook(TextStatistics s) {
    String best = "statement";
    double bestShare = 0.25;
    for (Map.Entry<String, Double> e : s.hookPatterns().entrySet()) {
      if (!e.getKey().equals("short_under_8_words") && e.getValue() > bestShare) {
        best = e.getKey();
        bestShare = e.getValue();
      }
    }
    return best;
  }

  private static String hookAdvice(String pattern) {
    return switch (pattern) {
      case "question" -> ", usually a question";
      case "number" -> ", usually built around a number";
      case "how_to" -> ", usually promising a method (\"How to…\")";
      case "first_person" -> ", usually a personal statement starting with \"I\"";
      case "you" -> ", usually speaking to the reader";
      case "negation" -> ", usually a blunt negative (\"Stop…\", \"Never…\")";
      default -> ", a plain statement";
    };
  }

  static String person(TextStatistics s) {
    if (s.firstPersonSingularShare() >= 0.5) {
      return "first_person_singular";
    }
    if (s.firstPersonPluralShare() >= 0.5) {
      return "first_person_plural";
    }
    if (s.secondPersonShare() >= 0.5) {
      return "second_person";
    }
    return "mixed";
  }
}
