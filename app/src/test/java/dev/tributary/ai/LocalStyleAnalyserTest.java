package dev.tributary.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalStyleAnalyserTest {
  /** A punchy, one-line-per-sentence author who uses emoji and ends with questions. */
  private static final List<String> PUNCHY =
      List.of(
          """
      I got rejected 47 times.

      Then I changed one thing. 🚀

      I stopped sending my CV.

      I started sending a one-page plan for the first 90 days.

      What would you send instead?
      """,
          """
      Hiring is broken.

      Not because of AI. 💡

      Because nobody reads the job description they wrote.

      Fix the description first.

      Agree?
      """,
          """
      3 things I wish I knew at 25:

      1. Your network is your net worth
      2. Ask for the raise
      3. Write things down

      Which one would you add? 👇
      """);

  /** A long-form author: paragraphs, no emoji, "we", no questions. */
  private static final List<String> ESSAYIST =
      List.of(
          """
      Over the last three years we rebuilt our pricing model twice. The first attempt failed because we priced on \
      features our customers did not value. The second attempt started from interviews with forty customers, and it \
      changed how we think about value entirely.

      We now price on outcomes. Our customers pay more when they succeed, and they tell us that this feels fair. \
      Revenue grew, churn fell, and our sales conversations became easier because we talk about results.
      """,
          """
      Our engineering team moved to a four-day week in January. We expected output to drop, and we prepared the board \
      for a difficult quarter. Instead, the number of shipped improvements went up, and incidents went down.

      The lesson for us was simple. Focus beats hours, and a rested team makes fewer mistakes.
      """);

  @Test
  void measures_real_posts_deterministically() {
    TextStatistics a = TextStatistics.of(PUNCHY);
    TextStatistics b = TextStatistics.of(new ArrayList<>(PUNCHY));

    assertThat(a).isEqualTo(b);
    assertThat(a.posts()).isEqualTo(3);
    assertThat(a.postsWithEmojiShare()).isEqualTo(1.0);
    assertThat(a.emojiPerPost()).isEqualTo(1.0);
    assertThat(a.postsEndingWithQuestionShare()).isEqualTo(1.0);
    assertThat(a.singleLineParagraphShare()).isGreaterThan(0.6);
    assertThat(a.postsWithListShare()).isCloseTo(0.33, org.assertj.core.data.Offset.offset(0.01));
    assertThat(a.hookPatterns().get("number"))
        .isCloseTo(0.67, org.assertj.core.data.Offset.offset(0.01));
    assertThat(a.avgSentenceWords()).isLessThan(8);
  }

  @Test
  void two_different_authors_get_different_prompts_that_describe_them() {
    var analyser = new LocalStyleAnalyser();

    StyleAnalysis punchy = analyser.analyse("Ada Example", PUNCHY);
    StyleAnalysis essayist = analyser.analyse("", ESSAYIST);

    assertThat(punchy.writingStylePrompt())
        .startsWith("Write like Ada Example: very short posts")
        .contains("on its own line")
        .contains("End with a question")
        .contains("emoji now and then")
        .contains("first person singular");
    assertThat(essayist.writingStylePrompt())
        .startsWith("Write like this author:")
        .contains("full paragraphs")
        .contains("Do not use emoji")
        .contains("\"we\"");
    assertThat(punchy.analyzedBy()).isEqualTo("local:text-statistics");
    assertThat(punchy.usage()).isEqualTo(TokenUsage.NONE);
    assertThat(punchy.styleAnalysis().path("metrics").path("posts_analyzed").asInt()).isEqualTo(3);
    assertThat(
            punchy
                .styleAnalysis()
                .path("metrics")
                .path("tone")
                .path("posts_with_emoji_share")
                .asDouble())
        .isEqualTo(1.0);
    assertThat(essayist.styleAnalysis().path("person").asText()).isEqualTo("first_person_plural");
  }

  @Test
  void blank_posts_are_ignored_and_no_text_at_all_is_refused() {
    var analyser = new LocalStyleAnalyser();
    List<String> withBlanks = new ArrayList<>(PUNCHY);
    withBlanks.add("   ");
    withBlanks.add(null);

    assertThat(
            analyser
                .analyse("x", withBlanks)
                .styleAnalysis()
                .path("metrics")
                .path("posts_analyzed")
                .asInt())
        .isEqualTo(3);
    assertThatThrownBy(() -> analyser.analyse("x", java.util.Arrays.asList("", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no post with text");
  }

  @Test
  void the_hook_is_the_first_line_or_its_first_sentence_when_long() {
    assertThat(HookText.extract("\n\n  I got rejected 47 times.  \n\nThen..."))
        .isEqualTo("I got rejected 47 times.");
    String longLine =
        "This first sentence is short enough. " + "But the line goes on and on ".repeat(20);
    assertThat(HookText.extract(longLine)).isEqualTo("This first sentence is short enough.");
    String noStop = "word ".repeat(100);
    assertThat(HookText.extract(noStop))
        .hasSizeLessThanOrEqualTo(HookText.MAX_CHARS + 1)
        .endsWith("…");
    assertThat(HookText.extract("")).isEmpty();
    assertThat(HookText.extract(null)).isEmpty();
  }
}
