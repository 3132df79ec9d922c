package dev.tributary.ai;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hook of a post: the line a reader sees before "…see more". Text only, no model (S1.1): the
 * first non-blank line; when that line is long, its first sentence; when that is still long, cut at
 * a word boundary near {@value #MAX_CHARS} characters.
 */
public final class HookText {
  /** LinkedIn shows roughly the first 200 characters before folding a post. */
  public static final int MAX_CHARS = 200;

  private static final Pattern FIRST_SENTENCE =
      Pattern.compile("^.+?[.!?\u2026]+[\"')\\]]*(?=\\s|$)");

  private HookText() {}

  /** The hook, or empty when the post has no text. */
  public static String extract(String post) {
    if (post == null) {
      return "";
    }
    String line = "";
    for (String l : post.split("\\R")) {
      if (!l.isBlank()) {
        line = l.strip();
        break;
      }
    }
    if (line.length() <= MAX_CHARS) {
      return line;
    }
    Matcher m = FIRST_SENTENCE.matcher(line);
    if (m.find() && m.end() <= MAX_CHARS) {
      return m.group().strip();
    }
    int cut = line.lastIndexOf(' ', MAX_CHARS);
    if (cut < MAX_CHARS / 2) {
      cut = MAX_CHARS;
    }
    // never split a surrogate pair (emoji) in two
    if (Character.isHighSurrogate(line.charAt(cut - 1))) {
      cut--;
    }
    return line.substring(0, cut).strip() + "…";
  }
}
