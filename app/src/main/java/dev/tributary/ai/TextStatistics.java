package dev.tributary.ai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic measurements of a set of posts: lengths, line breaks, hooks, emoji, questions,
 * person, vocabulary. The same posts always give the same numbers, so a style refresh only changes
 * when the posts do.
 */
public record TextStatistics(
    int posts,
    double avgWordsPerPost,
    double avgSentenceWords,
    double avgParagraphsPerPost,
    double avgSentencesPerParagraph,
    double singleLineParagraphShare,
    double avgHookWords,
    Map<String, Double> hookPatterns,
    double emojiPerPost,
    double postsWithEmojiShare,
    double questionSentenceShare,
    double postsEndingWithQuestionShare,
    double hashtagsPerPost,
    double postsWithListShare,
    double firstPersonSingularShare,
    double firstPersonPluralShare,
    double secondPersonShare,
    double typeTokenRatio,
    double avgWordLength,
    List<String> favouriteWords) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'\u2019-]*");
  private static final Pattern SENTENCE_END =
      Pattern.compile("[.!?\u2026]+[\"')\\]]*(?=\\s|$)|\\n+");
  private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\n\\s*\\n");
  private static final Pattern HASHTAG = Pattern.compile("(?<![\\p{L}\\p{N}])#[\\p{L}\\p{N}_]+");
  private static final Pattern LIST_LINE =
      Pattern.compile(
          "(?m)^\\s*(?:[-*\u2022\u2192\u25aa\u27a4\u2705\u2714\u25b6]|\\d{1,2}[.)/]|\\p{So})\\s*\\S");
  private static final Set<String> FIRST_SINGULAR =
      Set.of(
          "i", "me", "my", "mine", "i'm", "i've", "i'd", "i'll", "je", "j'ai", "moi", "mon", "ma",
          "mes");
  private static final Set<String> FIRST_PLURAL =
      Set.of("we", "us", "our", "ours", "we're", "we've", "nous", "notre", "nos");
  private static final Set<String> SECOND =
      Set.of(
          "you", "your", "yours", "you're", "you've", "vous", "votre", "vos", "tu", "ton", "ta",
          "tes");
  private static final Set<String> STOPWORDS =
      java.util.stream.Stream.of(
              "the", "a", "an", "and", "or", "but", "if", "of", "to", "in", "on", "for", "with",
              "at", "by", "from", "as", "is", "are", "was", "were", "be", "been", "being", "it",
              "its", "it's", "this", "that", "these", "those", "there", "then", "than", "so", "not",
              "no", "do", "does", "did", "done", "have", "has", "had", "will", "would", "can",
              "could", "should", "just", "about", "what", "when", "who", "how", "why", "which",
              "all", "more", "most", "some", "any", "up", "out", "into", "over", "after", "before",
              "very", "also", "too", "get", "got", "one", "two", "here", "they", "them", "their",
              "he", "she", "his", "her", "him", "don't", "i'm", "that's", "le", "la", "les", "un",
              "une", "des", "du", "de", "et", "ou", "mais", "est", "sont", "pour", "dans", "sur",
              "avec", "pas", "que", "qui", "ce", "cette", "ces", "en", "au", "aux", "il", "elle",
              "ils", "on", "se", "ne", "plus")
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  /** Hook patterns measured on each post's first line, as the share of posts showing them. */
  private static final Map<String, Pattern> HOOK_PATTERNS = hookPatternTable();

  private static Map<String, Pattern> hookPatternTable() {
    Map<String, Pattern> m = new LinkedHashMap<>();
    m.put("question", Pattern.compile("\\?"));
    m.put("number", Pattern.compile("\\d"));
    m.put("how_to", Pattern.compile("^(?:how to|how i|how we|here'?s how)\\b"));
    m.put("first_person", Pattern.compile("^(?:i|i'm|i've|my|we|our)\\b"));
    m.put("you", Pattern.compile("\\byou(?:r|'re)?\\b"));
    m.put("negation", Pattern.compile("\\b(?:stop|don'?t|never|no one|nobody|not)\\b"));
    m.put("short_under_8_words", Pattern.compile("^(?:\\S+\\s+){0,6}\\S+$"));
    return m;
  }

  public static TextStatistics of(List<String> rawPosts) {
    List<String> posts = new ArrayList<>();
    for (String p : rawPosts) {
      if (p != null && !p.isBlank()) {
        posts.add(p.replace("\r\n", "\n").strip());
      }
    }
    if (posts.isEmpty()) {
      throw new IllegalArgumentException("no post with text to analyse");
    }
    Tally t = new Tally();
    for (String post : posts) {
      t.words(post);
      t.sentencesAndParagraphs(post);
      t.hook(post);
      t.marks(post);
    }
    return t.statistics(posts.size());
  }

  /** The running counts over a set of posts; one pass per post. */
  private static final class Tally {
    long words;
    long sentences;
    long paragraphs;
    long singleLineParagraphs;
    long hookWords;
    long emoji;
    int postsWithEmoji;
    long questionSentences;
    int endingWithQuestion;
    long hashtags;
    int withList;
    long firstSingular;
    long firstPlural;
    long second;
    long letters;
    final Map<String, Integer> hookCounts = new LinkedHashMap<>();
    final Set<String> types = new HashSet<>();
    final Map<String, Integer> frequencies = new HashMap<>();

    Tally() {
      HOOK_PATTERNS.keySet().forEach(k -> hookCounts.put(k, 0));
    }

    void words(String post) {
      List<String> tokens = TextStatistics.words(post);
      words += tokens.size();
      for (String w : tokens) {
        String lw = w.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        types.add(lw);
        letters += lw.length();
        if (FIRST_SINGULAR.contains(lw)) {
          firstSingular++;
        } else if (FIRST_PLURAL.contains(lw)) {
          firstPlural++;
        } else if (SECOND.contains(lw)) {
          second++;
        }
        if (lw.length() > 3
            && !STOPWORDS.contains(lw)
            && !lw.chars().allMatch(Character::isDigit)) {
          frequencies.merge(lw, 1, Integer::sum);
        }
      }
    }

    void sentencesAndParagraphs(String post) {
      List<String> sents = sentences(post);
      sentences += sents.size();
      for (String s : sents) {
        if (s.endsWith("?")) {
          questionSentences++;
        }
      }
      if (!sents.isEmpty() && sents.get(sents.size() - 1).endsWith("?")) {
        endingWithQuestion++;
      }
      for (String para : PARAGRAPH_BREAK.split(post)) {
        if (para.isBlank()) {
          continue;
        }
        paragraphs++;
        if (!para.strip().contains("\n") && sentences(para).size() <= 1) {
          singleLineParagraphs++;
        }
      }
    }

    void hook(String post) {
      String hook = HookText.extract(post);
      hookWords += TextStatistics.words(hook).size();
      String lowerHook = hook.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
      for (var e : HOOK_PATTERNS.entrySet()) {
        if (e.getValue().matcher(lowerHook).find()) {
          hookCounts.merge(e.getKey(), 1, Integer::sum);
        }
      }
    }

    void marks(String post) {
      long e = post.codePoints().filter(TextStatistics::isEmoji).count();
      emoji += e;
      if (e > 0) {
        postsWithEmoji++;
      }
      Matcher h = HASHTAG.matcher(post);
      while (h.find()) {
        hashtags++;
      }
      Matcher list = LIST_LINE.matcher(post);
      int listLines = 0;
      while (list.find()) {
        listLines++;
      }
      if (listLines >= 2) {
        withList++;
      }
    }

    TextStatistics statistics(int n) {
      Map<String, Double> hookShares = new LinkedHashMap<>();
      hookCounts.forEach((k, v) -> hookShares.put(k, round((double) v / n)));
      List<String> favourites =
          frequencies.entrySet().stream()
              .filter(e -> e.getValue() >= 2)
              .sorted(
                  (a, b) ->
                      b.getValue().equals(a.getValue())
                          ? a.getKey().compareTo(b.getKey())
                          : b.getValue() - a.getValue())
              .limit(12)
              .map(Map.Entry::getKey)
              .toList();
      long persons = Math.max(1, firstSingular + firstPlural + second);
      return new TextStatistics(
          n,
          round((double) words / n),
          round(sentences == 0 ? 0 : (double) words / sentences),
          round((double) paragraphs / n),
          round(paragraphs == 0 ? 0 : (double) sentences / paragraphs),
          round(paragraphs == 0 ? 0 : (double) singleLineParagraphs / paragraphs),
          round((double) hookWords / n),
          hookShares,
          round((double) emoji / n),
          round((double) postsWithEmoji / n),
          round(sentences == 0 ? 0 : (double) questionSentences / sentences),
          round((double) endingWithQuestion / n),
          round((double) hashtags / n),
          round((double) withList / n),
          round((double) firstSingular / persons),
          round((double) firstPlural / persons),
          round((double) second / persons),
          round(words == 0 ? 0 : (double) types.size() / words),
          round(words == 0 ? 0 : (double) letters / words),
          favourites);
    }
  }

  /** The measurements as the JSON stored in {@code style_analysis.metrics}. */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("posts_analyzed", posts);
    ObjectNode length = o.putObject("length");
    length.put("avg_words_per_post", avgWordsPerPost);
    length.put("avg_sentence_words", avgSentenceWords);
    length.put("avg_hook_words", avgHookWords);
    ObjectNode structure = o.putObject("structure");
    structure.put("avg_paragraphs_per_post", avgParagraphsPerPost);
    structure.put("avg_sentences_per_paragraph", avgSentencesPerParagraph);
    structure.put("single_line_paragraph_share", singleLineParagraphShare);
    structure.put("posts_with_list_share", postsWithListShare);
    ObjectNode hooks = o.putObject("hook_patterns");
    hookPatterns.forEach(hooks::put);
    ObjectNode tone = o.putObject("tone");
    tone.put("emoji_per_post", emojiPerPost);
    tone.put("posts_with_emoji_share", postsWithEmojiShare);
    tone.put("question_sentence_share", questionSentenceShare);
    tone.put("posts_ending_with_question_share", postsEndingWithQuestionShare);
    tone.put("hashtags_per_post", hashtagsPerPost);
    tone.put("first_person_singular_share", firstPersonSingularShare);
    tone.put("first_person_plural_share", firstPersonPluralShare);
    tone.put("second_person_share", secondPersonShare);
    ObjectNode vocabulary = o.putObject("vocabulary");
    vocabulary.put("type_token_ratio", typeTokenRatio);
    vocabulary.put("avg_word_length", avgWordLength);
    favouriteWords.forEach(vocabulary.putArray("favourite_words")::add);
    return o;
  }

  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = SENTENCE_END.matcher(text);
    int start = 0;
    while (m.find()) {
      String s = text.substring(start, m.end()).strip();
      if (!words(s).isEmpty()) {
        out.add(s);
      }
      start = m.end();
    }
    String rest = text.substring(start).strip();
    if (!words(rest).isEmpty()) {
      out.add(rest);
    }
    return out;
  }

  /**
   * Pictographs, dingbats and the symbols people use as emoji; arrows and bullets are not counted.
   */
  static boolean isEmoji(int cp) {
    return (cp >= 0x1F300 && cp <= 0x1FAFF)
        || (cp >= 0x1F000 && cp <= 0x1F2FF)
        || (cp >= 0x2600 && cp <= 0x27BF)
        || cp == 0x2B50
        || cp == 0x2B55
        || cp == 0x203C
        || cp == 0x2049;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
